namespace EventRuntime.Broker.Tls;

/// <summary>Checks TLS settings against the broker URL before anything connects; each problem is one line naming the setting.</summary>
public static class BrokerTlsCheck
{
    /// <param name="url">The broker URL.</param>
    /// <param name="options">The TLS settings.</param>
    /// <param name="urlSetting">The URL's setting name for messages, e.g. "RabbitMq:Url".</param>
    /// <param name="tlsSection">The TLS section's name for messages, e.g. "RabbitMq:Tls".</param>
    public static IReadOnlyList<string> Problems(Uri url, BrokerTlsOptions options, string urlSetting, string tlsSection)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (!BrokerTls.IsSecure(url))
        {
            if (options.Required)
            {
                return [$"{tlsSection}:Required is true but {urlSetting} is a plain amqp:// URL; use amqps://"];
            }

            // Files for TLS with a plain URL mean someone expects TLS that would not happen.
            return options is { CaFile: null or "", ClientCertificateFile: null or "", ClientKeyFile: null or "" }
                ? []
                : [$"{tlsSection} names certificate files but {urlSetting} is a plain amqp:// URL; use amqps://"];
        }

        try
        {
            _ = BrokerTls.For(url, options);
            return [];
        }
        catch (TlsSettingsException e)
        {
            return [$"{tlsSection}:{e.Message}"];
        }
    }
}
