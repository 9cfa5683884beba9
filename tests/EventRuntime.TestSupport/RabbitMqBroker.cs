using Testcontainers.RabbitMq;
using Xunit;

namespace EventRuntime.TestSupport;

/// <summary>
/// The broker for integration tests: a RabbitMQ container started through Testcontainers (image from
/// EVENTRUNTIME_RABBITMQ_IMAGE; infra/ci/setup.sh builds a local one), or an existing broker when
/// RABBITMQ_URL is set. Failing to get one fails the tests: they are never skipped.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    public const string DefaultImage = "rabbitmq:3.13-management";

    public const string User = "eventruntime";

    /// <summary>Distinct from the user name, so tests can check that it never reaches a log.</summary>
    public const string Password = "broker-s3cret-pw";

    private RabbitMqContainer? container;

    /// <summary>amqp://user:password@host:port/ of the broker.</summary>
    public Uri AmqpUri { get; private set; } = null!;

    public bool IsContainer => container is not null;

    /// <summary>
    /// Raises the broker's open-file limit (for its sockets) when it is a container. Debian's rabbitmq-server
    /// starts through <c>su</c>, whose pam_limits sets the soft limit to 1024: RabbitMQ then accepts only 832
    /// sockets, fewer than a thousand agents' connections. Null keeps the image's behaviour.
    /// </summary>
    public int? FileDescriptors { get; init; }

    public async Task InitializeAsync()
    {
        var existing = Environment.GetEnvironmentVariable("RABBITMQ_URL");
        if (!string.IsNullOrWhiteSpace(existing))
        {
            AmqpUri = new Uri(existing);
            return;
        }

        var builder = new RabbitMqBuilder(BrokerContainer.Image).WithUsername(User).WithPassword(Password);
        if (FileDescriptors is { } limit)
        {
            builder = builder
                .WithCreateParameterModifier(p => p.HostConfig!.Ulimits = [new Docker.DotNet.Models.Ulimit { Name = "nofile", Soft = limit, Hard = limit }])
                .WithResourceMapping(System.Text.Encoding.ASCII.GetBytes($"rabbitmq soft nofile {limit}\n"), "/etc/security/limits.d/eventruntime-rabbitmq.conf");
        }

        container = builder.Build();
        await BrokerContainer.StartAsync(container, alternative: ", or set RABBITMQ_URL");

        AmqpUri = new Uri(container.GetConnectionString());
    }

    /// <summary>rabbitmqctl in the broker's container; its output, or an exception naming the command and its error.</summary>
    public async Task<string> CtlAsync(params string[] arguments)
    {
        if (container is null)
        {
            throw new InvalidOperationException("rabbitmqctl needs the broker container of the tests: unset RABBITMQ_URL");
        }

        var result = await container.ExecAsync(["rabbitmqctl", .. arguments]);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr.Trim()}");
    }

    public async Task DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}
