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
        var image = Environment.GetEnvironmentVariable("EVENTRUNTIME_RABBITMQ_IMAGE") is { Length: > 0 } configured ? configured : RabbitMqBroker.DefaultImage;
        container = new RabbitMqBuilder(image)
            .WithResourceMapping(new FileInfo(DefinitionsPath), "/etc/eventruntime/")
            .WithResourceMapping(new FileInfo(Path.Combine(Repository.Root, "infra", "rabbitmq", "20-eventruntime-definitions.conf")), "/etc/rabbitmq/conf.d/")
            .Build();
        try
        {
            await container.StartAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"cannot start RabbitMQ image {image} with {DefinitionsPath} through Docker ({e.Message}). Run infra/ci/setup.sh and source infra/ci/env.sh.", e);
        }
    }

    /// <summary>Runs rabbitmqctl in the broker's container; returns its output, throws when it fails.</summary>
    public async Task<string> RabbitMqCtlAsync(params string[] arguments)
    {
        var result = await (container ?? throw new InvalidOperationException("not started")).ExecAsync(["rabbitmqctl", .. arguments]);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
    }

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
