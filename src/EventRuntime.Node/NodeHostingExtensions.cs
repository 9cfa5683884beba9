using System.Net;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Creating;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Operations;
using EventRuntime.Node.Presence;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Sagas;
using EventRuntime.Node.Security;
using EventRuntime.Node.Stopping;
using EventRuntime.Node.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node;

public static class NodeHostingExtensions
{
    /// <summary>Registers the node's container layer: runtime, storage, store and creator.</summary>
    public static IServiceCollection AddNodeContainers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeOptions>().Bind(configuration.GetSection(NodeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection(RuntimeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var node = sp.GetRequiredService<IOptions<NodeOptions>>().Value;
            return new NodePaths(node.StateDirectory, node.Name);
        });
        services.AddSingleton<IOciRuntime>(sp => new RuncRuntime(sp.GetRequiredService<IOptions<RuntimeOptions>>().Value));
        // Built on the registered IOciRuntime, so that a stand-in registered in its place is the default here too.
        services.AddSingleton(sp =>
        {
            var runc = sp.GetRequiredService<IOptions<RuntimeOptions>>().Value;
            return new RuntimeCatalog(sp.GetRequiredService<IOciRuntime>(), new RuncRuntime(runc.Runsc.ToRuntimeOptions(runc)));
        });
        services.AddSingleton<IContainerStorage>(sp => new OverlayStorage(sp.GetRequiredService<NodePaths>().Storage));
        services.AddSingleton(sp => new ContainerStore(sp.GetRequiredService<NodePaths>().StateDirectory));
        services.AddSingleton<ContainerCreator>();
        return services;
    }

    /// <summary>Registers the whole node agent: containers, the stop flow and the bus.</summary>
    public static IServiceCollection AddNodeAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNodeContainers(configuration);
        services.AddOptions<StopOptions>().Bind(configuration.GetSection(StopOptions.Section))
            .Validate(o => o.StateWaitDeadline > TimeSpan.Zero, "Stop:StateWaitDeadline must be positive")
            .Validate(o => o.KillDeadline > TimeSpan.Zero, "Stop:KillDeadline must be positive")
            .Validate(o => o.MaxTimeoutSeconds >= 0, "Stop:MaxTimeoutSeconds must be 0 or more")
            .Validate(o => o.MaxCommandAge > TimeSpan.Zero, "Stop:MaxCommandAge must be positive")
            .Validate(o => o.Concurrency is >= 1 and <= 4096, "Stop:Concurrency must be between 1 and 4096")
            .ValidateOnStart();
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection(RabbitMqOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>();
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.Section))
            .Validate(o => o.MaxMessageBytes is >= 1024 and <= 128 * 1024 * 1024, "Intake:MaxMessageBytes must be between 1024 and 134217728")
            .Validate(o => o.ConsumerCheckInterval >= TimeSpan.Zero, "Intake:ConsumerCheckInterval must be 0 (off) or positive")
            .Validate(o => o.ConsumerGrace > TimeSpan.Zero, "Intake:ConsumerGrace must be positive")
            .ValidateOnStart();
        services.AddOptions<SagaStoreOptions>().Bind(configuration.GetSection(SagaStoreOptions.Section))
            .Validate(o => o.CompletedRetention > TimeSpan.Zero, "Sagas:CompletedRetention must be positive")
            .Validate(o => o.LockWait > TimeSpan.Zero, "Sagas:LockWait must be positive")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SagaStoreOptions>, SagaStoreOptionsValidator>();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CommandSignatureCheck>();
        services.AddSingleton<IStopEvents, BusStopEvents>();
        services.AddSingleton<StopAnnouncer>();
        services.AddSingleton<StuckProcessReaper>();
        services.AddSingleton<ContainerStopper>();
        services.AddSingleton<StopCoordinator>();
        services.AddSingleton(sp => new SagaDatabase(sp.GetRequiredService<NodePaths>().StateDirectory));
        // Registered before the bus: the saga database is open (or the start has failed) before any message arrives.
        services.AddHostedService<SagaDatabaseService>();
        services.AddNodeBus();
        services.AddSingleton<AgentStart>();
        services.AddScoped<InventoryConsumer>();
        services.AddScoped<PresenceConsumer>();
        // After the command queue's intake: fleet questions are answered once commands can be taken.
        services.AddHostedService<FleetQuestionIntake>();
        services.AddNodeTelemetry(configuration);
        // Read once where logging and telemetry are wired (before any options exist); checked here at start.
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddOptions<LoggingOptions>().Bind(configuration.GetSection(LoggingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LoggingOptions>, LoggingOptionsValidator>();
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.Section))
            .Validate(o => o.Port is >= 0 and <= 65535, "Health:Port must be between 0 (off) and 65535")
            .Validate(o => IPAddress.TryParse(o.Address, out _), "Health:Address must be an IP address, e.g. 127.0.0.1 or 0.0.0.0")
            .ValidateOnStart();
        services.AddNodeHealthChecks();
        services.AddHostedService<AgentLifecycleLog>();
        services.AddHostedService<OperationsEndpoint>();
        // READY=1 and STOPPING=1 when systemd runs the agent (Type=notify); the watchdog ping is ours.
        services.AddSystemd();
        services.AddHostedService<SystemdWatchdog>();
        // SIGTERM: the bus stops taking commands, stops in flight get this long to finish.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.GetValue("Node:ShutdownTimeout", TimeSpan.FromSeconds(90)));
        // After the bus, so that it stops before the bus does.
        services.AddHostedService<HeartbeatService>();
        return services;
    }
}
