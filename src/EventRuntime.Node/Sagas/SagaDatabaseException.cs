namespace EventRuntime.Node.Sagas;

/// <summary>The saga database cannot be used; the message names the file and what to do about it.</summary>
public sealed class SagaDatabaseException(string message, Exception? inner = null) : Exception(message, inner);
