using EventRuntime.Broker.Tls;
using EventRuntime.Client;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>
/// TLS between agents, clients and a broker whose listener on 5671 demands a client certificate. Every connection
/// here goes to the TLS port only (amqps URLs), and the broker's own connection list is checked for ssl=true.
/// </summary>
public sealed class BrokerTlsTests(TlsRabbitMqBroker broker) : IClassFixture<TlsRabbitMqBroker>
{
    private static readonly string[] TrapTerm = ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"];

    private TestPki Pki => broker.Pki;

    [Fact]
    public async Task An_agent_on_amqps_with_a_client_certificate_stops_a_container_commanded_over_amqps_by_the_client_library()
    {
        await using var sandbox = new RuncSandbox();
        var node = "tls-node-" + Guid.NewGuid().ToString("N")[..8];
        var containerId = "tls-" + Guid.NewGuid().ToString("N")[..8];
        await sandbox.StartAsync(containerId, TrapTerm);
        // The agent uses the password-protected key, the client the plain one: both PEM forms are exercised.
        await using var agent = new AgentProcess(node, sandbox, broker.AmqpsUri, Path.Combine(sandbox.Root, "agent.log"),
            "--RabbitMq:Tls:Required=true",
            $"--RabbitMq:Tls:CaFile={Pki.CaFile}",
            $"--RabbitMq:Tls:ClientCertificateFile={Pki.ClientCertificateFile}",
            $"--RabbitMq:Tls:ClientKeyFile={Pki.EncryptedClientKeyFile}",
            $"--RabbitMq:Tls:ClientKeyPasswordFile={Pki.ClientKeyPasswordFile}",
            "--Node:HeartbeatInterval=00:00:01");
        agent.Start();
        await using var client = new EventRuntimeClient(ClientOptions(Tls(required: true)));

        await WaitForHeartbeatAsync(client, node, agent);
        var outcome = await client.StopAsync(node, containerId, TimeSpan.FromSeconds(10));

        Assert.True(outcome.IsStopped, $"outcome: {outcome.Event}\n{agent.Log()}");
        Assert.True((await sandbox.StateAsync(containerId)).IsStopped);
        var connections = await broker.ConnectionsAsync();
        Assert.True(connections.Count >= 2, $"expected the agent's and the client's connections, got {connections.Count}");
        Assert.All(connections, c => Assert.True(c.Ssl, "a connection without TLS: " + c.PeerCertificateSubject));
        Assert.All(connections, c => Assert.Contains("CN=" + TestPki.ClientCommonName, c.PeerCertificateSubject, StringComparison.Ordinal));
        Assert.DoesNotContain(Pki.ClientKeyPassword, agent.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain(RabbitMqBroker.Password, agent.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_server_name_is_refused_with_the_name_in_the_error()
    {
        var tls = Tls();
        tls.ServerName = "broker.wrong.example";

        var error = await Assert.ThrowsAsync<BrokerUnavailableException>(() => ConnectAsync(tls));

        Assert.Contains("TLS: the broker's certificate (CN=localhost) is not valid for the server name broker.wrong.example", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_given_a_wrong_server_name_logs_why_the_broker_was_refused()
    {
        await using var sandbox = new RuncSandbox();
        await using var agent = new AgentProcess("tls-wrong-name", sandbox, broker.AmqpsUri, Path.Combine(sandbox.Root, "agent.log"),
            $"--RabbitMq:Tls:CaFile={Pki.CaFile}",
            $"--RabbitMq:Tls:ClientCertificateFile={Pki.ClientCertificateFile}",
            $"--RabbitMq:Tls:ClientKeyFile={Pki.ClientKeyFile}",
            "--RabbitMq:Tls:ServerName=broker.wrong.example");
        agent.Start();

        await agent.WaitForLogAsync("Broker TLS certificate rejected: the broker's certificate (CN=localhost) is not valid for the server name broker.wrong.example");
    }

    [Fact]
    public async Task A_server_certificate_from_a_CA_other_than_CaFile_is_refused()
    {
        var tls = Tls();
        tls.CaFile = Pki.OtherCaFile;

        var error = await Assert.ThrowsAsync<BrokerUnavailableException>(() => ConnectAsync(tls));

        Assert.Contains($"TLS: the broker's certificate (CN=localhost, issued by CN=EventRuntime test CA) does not chain to a CA in {Pki.OtherCaFile}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_CaFile_a_private_CA_is_not_trusted()
    {
        var tls = Tls();
        tls.CaFile = null;

        var error = await Assert.ThrowsAsync<BrokerUnavailableException>(() => ConnectAsync(tls));

        Assert.Contains("TLS: the broker's certificate (CN=localhost, issued by CN=EventRuntime test CA) is not trusted by the system's CA store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_client_certificate_the_broker_refuses_the_connection()
    {
        var tls = Tls();
        tls.ClientCertificateFile = null;
        tls.ClientKeyFile = null;

        var error = await Assert.ThrowsAsync<BrokerUnavailableException>(() => ConnectAsync(tls));

        // Our side accepted the broker's certificate: the refusal is the broker's.
        Assert.DoesNotContain("TLS: the broker's certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains("TLS: the broker ended the session", error.Message, StringComparison.Ordinal);
        Assert.Contains("no client certificate is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Tls_Required_an_agent_given_an_amqp_URL_refuses_to_start_with_one_line()
    {
        await using var sandbox = new RuncSandbox();
        await using var agent = new AgentProcess("tls-required", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"),
            "--RabbitMq:Tls:Required=true");
        agent.Start();

        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Equal(
            ["eventruntime-node: configuration: RabbitMq:Tls:Required is true but RabbitMq:Url is a plain amqp:// URL; use amqps://"],
            agent.Log().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private BrokerTlsOptions Tls(bool required = false) => new()
    {
        Required = required,
        CaFile = Pki.CaFile,
        ClientCertificateFile = Pki.ClientCertificateFile,
        ClientKeyFile = Pki.ClientKeyFile,
    };

    private EventRuntimeClientOptions ClientOptions(BrokerTlsOptions tls) => new()
    {
        RabbitMqUrl = broker.AmqpsUri,
        Tls = tls,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        QueuePrefix = "tls-test",
    };

    private async Task ConnectAsync(BrokerTlsOptions tls)
    {
        await using var client = new EventRuntimeClient(ClientOptions(tls));
        await client.ConnectAsync();
    }

    /// <summary>The agent's heartbeat arriving at the client proves both are connected (over TLS: they know no other port).</summary>
    private static async Task WaitForHeartbeatAsync(EventRuntimeClient client, string node, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !agent.HasExited)
        {
            var nodes = await client.ListNodesAsync(TimeSpan.FromSeconds(2));
            if (nodes.Any(n => n.Node == node))
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException($"no heartbeat from {node} within 60 s:\n{agent.Log()}");
    }
}
