namespace EventRuntime.Broker.Tls;

/// <summary>A TLS setting cannot be used (missing file, unreadable PEM, key without certificate, …).</summary>
public sealed class TlsSettingsException : Exception
{
    /// <summary>Creates the exception without a message.</summary>
    public TlsSettingsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TlsSettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TlsSettingsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
