using System.Text;
using DotNet.Testcontainers.Configurations;
using Testcontainers.RabbitMq;
using Xunit;

namespace EventRuntime.TestSupport;

/// <summary>
/// A RabbitMQ container (image from EVENTRUNTIME_RABBITMQ_IMAGE) with a TLS listener on 5671 that verifies client
/// certificates, configured by copying <see cref="TestPki"/>'s files and a conf.d file into the container before it
/// starts. Image entrypoints rewrite rabbitmq.conf; RabbitMQ also reads /etc/rabbitmq/conf.d/*.conf (3.10 does).
/// </summary>
public sealed class TlsRabbitMqBroker : IAsyncLifetime
{
    public const int TlsPort = 5671;

    private const string TlsDirectory = "/etc/rabbitmq/tls";

    private static readonly string TlsConfig = $"""
        listeners.ssl.default = {TlsPort}
        ssl_options.cacertfile = {TlsDirectory}/ca.pem
        ssl_options.certfile = {TlsDirectory}/server.pem
        ssl_options.keyfile = {TlsDirectory}/server.key
        ssl_options.verify = verify_peer
        ssl_options.fail_if_no_peer_cert = true
        """;

    private RabbitMqContainer? container;

    public TestPki Pki { get; } = TestPki.Create();

    /// <summary>amqps://user:password@127.0.0.1:port/ of the TLS listener.</summary>
    public Uri AmqpsUri { get; private set; } = null!;

    /// <summary>amqp://… of the same broker's plain listener.</summary>
    public Uri AmqpUri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // World-readable, because the broker runs as its own user whose uid differs between images; these keys are throwaway.
        const UnixFileModes readable = UnixFileModes.UserRead | UnixFileModes.UserWrite | UnixFileModes.GroupRead | UnixFileModes.OtherRead;
        container = new RabbitMqBuilder(BrokerContainer.Image)
            .WithUsername(RabbitMqBroker.User)
            .WithPassword(RabbitMqBroker.Password)
            .WithPortBinding(TlsPort, assignRandomHostPort: true)
            .WithResourceMapping(await File.ReadAllBytesAsync(Pki.CaFile), $"{TlsDirectory}/ca.pem", 0, 0, readable)
            .WithResourceMapping(await File.ReadAllBytesAsync(Pki.ServerCertificateFile), $"{TlsDirectory}/server.pem", 0, 0, readable)
            .WithResourceMapping(await File.ReadAllBytesAsync(Pki.ServerKeyFile), $"{TlsDirectory}/server.key", 0, 0, readable)
            .WithResourceMapping(Encoding.UTF8.GetBytes(TlsConfig + "\n"), "/etc/rabbitmq/conf.d/90-eventruntime-tls.conf", 0, 0, readable)
            .Build();
        await BrokerContainer.StartAsync(container, " with TLS");

        AmqpUri = new Uri(container.GetConnectionString());
        AmqpsUri = new UriBuilder(AmqpUri) { Scheme = "amqps", Port = container.GetMappedPublicPort(TlsPort) }.Uri;
    }

    /// <summary>The broker's open connections as rabbitmqctl lists them: whether each uses TLS, and the client certificate's subject.</summary>
    public async Task<IReadOnlyList<(bool Ssl, string PeerCertificateSubject)>> ConnectionsAsync()
    {
        var listed = await BrokerContainer.RabbitMqCtlAsync(container!, "-q", "--no-table-headers", "list_connections", "ssl", "peer_cert_subject");
        return listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Select(fields => (fields[0] == "true", fields.ElementAtOrDefault(1) ?? ""))
            .ToList();
    }

    public async Task DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }

        Pki.Dispose();
    }
}
