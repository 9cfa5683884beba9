namespace EventRuntime.Cli;

/// <summary>A mistake in what the user asked for (command line, environment or config file): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
