namespace EventRuntime.Node.Runtime;

/// <summary>A failed runtime call, classified by <see cref="RuntimeErrorClassifier"/>.</summary>
public sealed class RuntimeException(RuntimeErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public RuntimeErrorKind Kind { get; } = kind;
}
