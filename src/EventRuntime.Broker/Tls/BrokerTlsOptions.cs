namespace EventRuntime.Broker.Tls;

/// <summary>
/// TLS to the broker: section "RabbitMq:Tls" of the node, "EventRuntimeClient:Tls" of the client library,
/// "tls" in ert's config file. Used when the broker URL is amqps://. The broker's certificate is always
/// verified (chain and name); there is deliberately no setting that turns that off.
/// </summary>
public sealed class BrokerTlsOptions
{
    /// <summary>Name of the section under the broker settings.</summary>
    public const string Section = "Tls";

    /// <summary>When true, a plain amqp:// URL is refused at start instead of connecting without TLS.</summary>
    public bool Required { get; set; }

    /// <summary>
    /// PEM file of the CA certificate(s) that may sign the broker's certificate. When set, only these CAs are
    /// trusted (instead of the system store); when not set, the system's CA store decides.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>PEM file of the client certificate presented to the broker; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM file of the client certificate's private key (PKCS#1, PKCS#8 or SEC1; encrypted PKCS#8 with <see cref="ClientKeyPasswordFile"/>).</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>
    /// File holding the password of an encrypted <see cref="ClientKeyFile"/> (trailing newline ignored). A file, not a
    /// setting, so that the password never sits in configuration, environment or command line.
    /// </summary>
    public string? ClientKeyPasswordFile { get; set; }

    /// <summary>The name the broker's certificate must carry (DNS name or IP address SAN); default: the URL's host.</summary>
    public string? ServerName { get; set; }
}
