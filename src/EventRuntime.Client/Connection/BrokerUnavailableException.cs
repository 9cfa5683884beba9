namespace EventRuntime.Client;

/// <summary>The broker could not be reached or refused the client (wrong address, port, credentials or virtual host).</summary>
public sealed class BrokerUnavailableException : Exception
{
    /// <summary>Creates the exception without a message.</summary>
    public BrokerUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BrokerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BrokerUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
