using System.Collections.Concurrent;
using EventRuntime.Contracts;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Sagas;
using EventRuntime.Node.Security;
using EventRuntime.Node.Stopping;
using EventRuntime.Node.Storage;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Tests.Stopping.Specs;

/// <summary>
/// The node's command endpoint and stop saga exactly as the agent wires them (<see cref="NodeBusExtensions.ConfigureCommandEndpoint"/>,
/// the SQLite saga store in a temporary directory, the real stop flow), on MassTransit's in-memory test
/// harness, with a <see cref="ScriptedRuntime"/> and <see cref="InMemoryStorage"/> for runc and the mounts.
/// </summary>
public sealed class StopSagaSpecHost : IAsyncDisposable
{
    public const string Node = "spec";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private static readonly Uri CommandQueue = new($"queue:{NodeQueue.For(Node)}");

    private readonly ServiceProvider provider;
    private readonly string directory;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> receives = new();

    private StopSagaSpecHost(ServiceProvider provider, string directory)
    {
        this.provider = provider;
        this.directory = directory;
    }

    public ScriptedRuntime Runtime { get; } = new();

    public InMemoryStorage Storage { get; } = new();

    public ContainerStore Store => provider.GetRequiredService<ContainerStore>();

    public SagaDatabase Database => provider.GetRequiredService<SagaDatabase>();

    public ITestHarness Harness => provider.GetRequiredService<ITestHarness>();

    /// <param name="publishFilter">Sees every message the node publishes, e.g. to make one publish fail.</param>
    /// <param name="outcomeStore">Stands in for the saga database's writes, e.g. to refuse them as a full disk would.</param>
    public static async Task<StopSagaSpecHost> StartAsync(IFilter<PublishContext>? publishFilter = null, IOutcomeStore? outcomeStore = null)
    {
        var directory = Directory.CreateTempSubdirectory("eventruntime-spec-").FullName;
        var services = new ServiceCollection();
        StopSagaSpecHost? host = null;
        services.AddLogging();
        services.AddSingleton(Options.Create(new NodeOptions { Name = Node, StateDirectory = directory }));
        services.AddSingleton(Options.Create(new StopOptions { KillDeadline = TimeSpan.FromSeconds(10) }));
        services.AddSingleton(Options.Create(new IntakeOptions()));
        services.AddSingleton(Options.Create(new SecurityOptions()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CommandSignatureCheck>();
        services.AddSingleton<IOciRuntime>(_ => host!.Runtime);
        services.AddSingleton(_ => new RuntimeCatalog(host!.Runtime, host.Runtime));
        services.AddSingleton<IContainerStorage>(_ => host!.Storage);
        services.AddSingleton(new ContainerStore(directory));
        services.AddSingleton<IStopEvents, BusStopEvents>();
        services.AddSingleton<StopAnnouncer>();
        services.AddSingleton<StuckProcessReaper>();
        services.AddSingleton<ContainerStopper>();
        services.AddSingleton<StopCoordinator>();
        services.AddScoped<StopActivity>();
        services.AddScoped<RecordOutcome>();
        services.AddScoped<CommandStatusConsumer>();
        services.AddScoped<RepeatedCommandLog>();
        var database = new SagaDatabase(directory);
        database.Open(TimeSpan.FromSeconds(5));
        services.AddSingleton(database);
        if (outcomeStore is not null)
        {
            services.AddSingleton(outcomeStore);
        }
        services.AddMassTransitTestHarness(x =>
        {
            x.SetTestTimeouts(testTimeout: Within);
            x.AddSagaStateMachine<StopContainerStateMachine, StopContainerState>().SqliteRepository();
            x.UsingInMemory((context, cfg) =>
            {
                if (publishFilter is not null)
                {
                    cfg.ConfigurePublish(p => p.UseFilter(publishFilter));
                }

                NodeBusExtensions.MarkPublishedOutcomes(context, cfg);
                cfg.ConnectReceiveObserver(new ReceiveCompletion(host!.receives));
                cfg.ReceiveEndpoint(NodeQueue.For(Node), e => NodeBusExtensions.ConfigureCommandEndpoint(context, e));
            });
        });
        host = new StopSagaSpecHost(services.BuildServiceProvider(), directory);
        await host.Harness.Start();
        return host;
    }

    /// <summary>A container the node knows, running (or as scripted) in the runtime, its root mounted.</summary>
    public void AddContainer(string id, ScriptedBehaviour behaviour)
    {
        Runtime.Add(id, behaviour);
        Storage.Mount(id, "/lower");
        Store.Save(new ContainerRecord
        {
            Id = id, Bundle = "/bundles/" + id, RootfsLower = "/lower", RootfsMount = Storage.MountPointOf(id), Runtime = Runtime.Name,
            Status = ContainerStatus.Running, StorageMounted = true, CreatedAt = DateTimeOffset.UtcNow,
        });
    }

    public static StopContainer Command(string containerId, int timeoutSeconds = 5, Guid? commandId = null) => new()
    {
        CommandId = commandId ?? Guid.NewGuid(), Node = Node, ContainerId = containerId, TimeoutSeconds = timeoutSeconds,
    };

    /// <summary>Sends <paramref name="command"/> to the node's queue; returns the delivery's message id.</summary>
    public async Task<Guid> SendAsync(StopContainer command)
    {
        var messageId = NewId.NextGuid();
        receives[messageId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = await Harness.Bus.GetSendEndpoint(CommandQueue);
        await endpoint.Send(command, context => context.MessageId = messageId);
        return messageId;
    }

    /// <summary>Waits until the node is done with the delivery: consumed, its outcome (if any) published, acknowledged or moved.</summary>
    public Task ReceivedAsync(Guid messageId) => receives[messageId].Task.WaitAsync(Within);

    public async Task<ContainerStopped> StoppedAsync(Guid commandId)
    {
        Assert.True(await Harness.Published.Any<ContainerStopped>(m => m.Context.Message.CommandId == commandId), $"no ContainerStopped for command {commandId}");
        return Assert.IsType<ContainerStopped>(Assert.Single(Outcomes(commandId)));
    }

    public async Task<ContainerStopFailed> FailedAsync(Guid commandId)
    {
        Assert.True(await Harness.Published.Any<ContainerStopFailed>(m => m.Context.Message.CommandId == commandId), $"no ContainerStopFailed for command {commandId}");
        return Assert.IsType<ContainerStopFailed>(Assert.Single(Outcomes(commandId)));
    }

    /// <summary>Every outcome published so far for <paramref name="commandId"/>, without waiting for more.</summary>
    public IReadOnlyList<object> Outcomes(Guid commandId)
    {
        using var now = new CancellationTokenSource();
        now.Cancel();
        return
        [
            .. Harness.Published.Select<ContainerStopped>(m => m.Context.Message.CommandId == commandId, now.Token).Select(m => (object)m.Context.Message),
            .. Harness.Published.Select<ContainerStopFailed>(m => m.Context.Message.CommandId == commandId, now.Token).Select(m => (object)m.Context.Message),
        ];
    }

    public Task<StopContainerState?> StoredAsync(Guid commandId) => Database.ReadAsync(t => t.LoadAsync(commandId, default), default);

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private sealed class ReceiveCompletion(ConcurrentDictionary<Guid, TaskCompletionSource> receives) : IReceiveObserver
    {
        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostReceive(ReceiveContext context) => Done(context);

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
            where T : class => Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Done(context);

        private Task Done(ReceiveContext context)
        {
            if (context.GetMessageId() is { } id && receives.TryGetValue(id, out var done))
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        }
    }
}
