using Testcontainers.RabbitMq;
using Xunit;

namespace EventRuntime.TestSupport;

/// <summary>
/// A RabbitMQ container that loads infra/rabbitmq/definitions.json at boot, exactly as the demo and the
/// compose file do: vhost "eventruntime", one user per node, a control-plane user, an administrator.
/// The definitions replace RabbitMQ's default user, so every connection uses one of those users.
/// </summary>
public sealed class SecuredRabbitMqBroker : IAsyncLifetime
{
    public const string VirtualHost = "eventruntime";

    public static readonly BrokerUser Administrator = new("eventruntime-admin", "admin-dev-pw");

    public static readonly BrokerUser ControlPlane = new("control-plane", "control-plane-dev-pw");

    private RabbitMqContainer? container;

    public static string DefinitionsPath => Path.Combine(Repository.Root, "infra", "rabbitmq", "definitions.json");

    /// <summary>The user the definitions give node <paramref name="node"/> (demo, alpha and beta exist).</summary>
    public static BrokerUser NodeUser(string node) => new($"node-{node}", $"node-{node}-dev-pw");

    public string Host => container?.Hostname ?? throw new InvalidOperationException("not started");

    public int Port => container?.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort) ?? throw new InvalidOperationException("not started");

    /// <summary>The Docker container's id, for <c>docker exec</c>.</summary>
    public string ContainerId => container?.Id ?? throw new InvalidOperationException("not started");

    public Uri UriFor(BrokerUser user) => new($"amqp://{user.Name}:{user.Password}@{Host}:{Port}/{VirtualHost}");

    public async Task InitializeAsync()
    {
        container = new RabbitMqBuilder(BrokerContainer.Image)
            .WithResourceMapping(new FileInfo(DefinitionsPath), "/etc/eventruntime/")
            .WithResourceMapping(new FileInfo(Path.Combine(Repository.Root, "infra", "rabbitmq", "20-eventruntime-definitions.conf")), "/etc/rabbitmq/conf.d/")
            .Build();
        await BrokerContainer.StartAsync(container, $" with {DefinitionsPath}");
    }

    /// <summary>Runs rabbitmqctl in the broker's container; returns its output, throws when it fails.</summary>
    public Task<string> RabbitMqCtlAsync(params string[] arguments) =>
        BrokerContainer.RabbitMqCtlAsync(container ?? throw new InvalidOperationException("not started"), arguments);

    /// <summary>
    /// Provisions node <paramref name="node"/> with infra/rabbitmq/add-node.sh, as an administrator would:
    /// its user (with <paramref name="password"/>), its permissions and its command queue.
    /// </summary>
    public Task<(int ExitCode, string Output)> AddNodeAsync(string node, string password) => AddNodeScript.RunAsync(ContainerId, node, password);

    public async Task DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}

/// <summary>A broker user name and its (development-only) password from infra/rabbitmq/definitions.json.</summary>
public sealed record BrokerUser(string Name, string Password);
