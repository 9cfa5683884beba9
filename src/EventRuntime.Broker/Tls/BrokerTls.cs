using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using RabbitMQ.Client;

namespace EventRuntime.Broker.Tls;

/// <summary>
/// TLS of one broker connection, ready to apply to MassTransit's host (<c>UseSsl</c>) or to a RabbitMQ.Client
/// <see cref="ConnectionFactory"/>: server name, client certificate and the certificate policy.
/// </summary>
public sealed class BrokerTls
{
    private BrokerTls(string serverName, X509Certificate2? clientCertificate, ServerCertificatePolicy policy)
    {
        ServerName = serverName;
        ClientCertificate = clientCertificate;
        Policy = policy;
    }

    /// <summary>The name the broker's certificate must carry.</summary>
    public string ServerName { get; }

    /// <summary>The certificate presented to the broker, if any.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>Decides whether the broker's certificate is accepted.</summary>
    public ServerCertificatePolicy Policy { get; }

    /// <summary>True for amqps:// URLs.</summary>
    public static bool IsSecure(Uri url) => string.Equals(url.Scheme, "amqps", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The TLS settings for <paramref name="url"/>: null for amqp:// (after <see cref="BrokerTlsCheck"/> has refused it when TLS is
    /// required). Throws <see cref="TlsSettingsException"/> when a file cannot be used.
    /// </summary>
    /// <param name="url">The broker URL.</param>
    /// <param name="options">The TLS settings.</param>
    /// <param name="onRejected">Told why, each time the broker's certificate is rejected.</param>
    public static BrokerTls? For(Uri url, BrokerTlsOptions options, Action<string>? onRejected = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (!IsSecure(url))
        {
            return null;
        }

        var serverName = string.IsNullOrWhiteSpace(options.ServerName) ? url.IdnHost : options.ServerName.Trim();
        var cas = string.IsNullOrWhiteSpace(options.CaFile) ? null : TlsFiles.LoadCa(options.CaFile);
        return new BrokerTls(serverName, TlsFiles.LoadClientCertificate(options), new ServerCertificatePolicy(serverName, cas, options.CaFile, onRejected));
    }

    /// <summary>
    /// The client key's password exactly as the TLS setup reads it from <paramref name="passwordFile"/>, for a log
    /// mask that must hide that very text; null when no file is set or it cannot be read (the start-time check
    /// reports that).
    /// </summary>
    public static string? ClientKeyPasswordOrNull(string? passwordFile)
    {
        try
        {
            return string.IsNullOrWhiteSpace(passwordFile) ? null : TlsFiles.ReadPassword(passwordFile);
        }
        catch (TlsSettingsException)
        {
            return null;
        }
    }

    /// <summary>Applies these settings to MassTransit's RabbitMQ host.</summary>
    public void Apply(IRabbitMqHostConfigurator host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.UseSsl(ssl =>
        {
            // None lets the operating system pick its secure versions (TLS 1.2 and 1.3); MassTransit would pin 1.2.
            ssl.Protocol = SslProtocols.None;
            ssl.ServerName = ServerName;
            ssl.Certificate = ClientCertificate;
            ssl.CertificateValidationCallback = Policy.Validate;
        });
    }

    /// <summary>Applies these settings to a RabbitMQ.Client connection's TLS options.</summary>
    public void Apply(SslOption ssl)
    {
        ArgumentNullException.ThrowIfNull(ssl);
        ssl.Enabled = true;
        ssl.Version = SslProtocols.None;
        ssl.ServerName = ServerName;
        ssl.Certs = ClientCertificate is null ? null : [ClientCertificate];
        ssl.CertificateValidationCallback = Policy.Validate;
    }
}
