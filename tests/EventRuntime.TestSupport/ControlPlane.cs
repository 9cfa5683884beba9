using System.Collections.Concurrent;
using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.TestSupport;

/// <summary>
/// What a control plane does, on its own bus: sends StopContainer to a node's queue and collects the
/// outcome events that the agents publish (through a temporary queue bound to both event exchanges).
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private readonly IBusControl bus;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<object>> outcomes = new();
    private readonly ConcurrentQueue<object> all = new();
    private readonly ConcurrentDictionary<Guid, long> firstArrivals = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<(ContainerStopping, double)>> stoppings = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<ContainerExited>> exits = new();

    private readonly string commandScheme;

    private ControlPlane(IBusControl bus, string commandScheme)
    {
        this.bus = bus;
        this.commandScheme = commandScheme;
    }

    /// <summary>Every outcome received so far, in arrival order.</summary>
    public IReadOnlyCollection<object> Outcomes => all;

    /// <param name="broker">The broker.</param>
    /// <param name="durableOutcomes">Keep the outcome queue through a broker restart (it is then left on the broker).</param>
    /// <param name="quorumCommandQueues">
    /// The agents declare quorum command queues (a cluster): commands then go to a node's exchange, as the client library
    /// sends them, since sending to <c>queue:</c> would declare the queue classic and the broker refuses that.
    /// </param>
    /// <param name="outcomesOnly">
    /// Bind only the two outcome exchanges, as a control plane that awaits outcomes does: no <see cref="ContainerStopping"/>
    /// or <see cref="ContainerExited"/> reaches this plane (<see cref="StoppingAsync"/> and <see cref="ExitedAsync"/> then time out).
    /// </param>
    public static async Task<ControlPlane> StartAsync(Uri broker, bool durableOutcomes = false, bool quorumCommandQueues = false, bool outcomesOnly = false)
    {
        ControlPlane? plane = null;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            cfg.ReceiveEndpoint("test-outcomes-" + Guid.NewGuid().ToString("N"), e =>
            {
                e.AutoDelete = !durableOutcomes;
                e.Durable = durableOutcomes;
                // Outcomes are only recorded here; a wide window keeps a storm's outcomes from queueing behind the default 16.
                e.PrefetchCount = 512;
                e.Handler<ContainerStopped>(context => plane!.Record(context.Message.CommandId, context.Message));
                e.Handler<ContainerStopFailed>(context => plane!.Record(context.Message.CommandId, context.Message));
                if (outcomesOnly)
                {
                    return;
                }

                e.Handler<ContainerExited>(context =>
                {
                    plane!.exits.GetOrAdd(context.Message.CommandId, _ => new TaskCompletionSource<ContainerExited>(TaskCreationOptions.RunContinuationsAsynchronously))
                        .TrySetResult(context.Message);
                    return Task.CompletedTask;
                });
                e.Handler<ContainerStopping>(context =>
                {
                    plane!.Stopping(context.Message.CommandId).TrySetResult((context.Message, Uptime.Now()));
                    return Task.CompletedTask;
                });
            });
        });
        plane = new ControlPlane(bus, quorumCommandQueues ? "exchange" : "queue");
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return plane;
    }

    public async Task<Guid> SendStopAsync(string node, string containerId, int timeoutSeconds = 10, bool resumePaused = false, Guid? commandId = null)
    {
        var command = new StopContainer
        {
            CommandId = commandId ?? Guid.NewGuid(),
            Node = node,
            ContainerId = containerId,
            TimeoutSeconds = timeoutSeconds,
            ResumePaused = resumePaused,
        };
        await SendAsync(node, command);
        return command.CommandId;
    }

    public async Task SendAsync(string node, StopContainer command)
    {
        var endpoint = await bus.GetSendEndpoint(new Uri($"{commandScheme}:{NodeQueue.For(node)}"));
        await endpoint.Send(command);
    }

    /// <summary>Publishes a command to its type's exchange instead of sending it to a node queue (a sender's mistake).</summary>
    public Task PublishAsync(StopContainer command) => bus.Publish(command);

    /// <summary>
    /// When the first outcome of <paramref name="commandId"/> arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>),
    /// taken in the handler: a waiter's continuation can run much later on a busy thread pool.
    /// </summary>
    public bool TryGetArrival(Guid commandId, out long timestamp) => firstArrivals.TryGetValue(commandId, out timestamp);

    /// <summary>The outcome of <paramref name="commandId"/>: a ContainerStopped or a ContainerStopFailed.</summary>
    public Task<object> OutcomeOfAsync(Guid commandId, TimeSpan? within = null) =>
        Slot(commandId).Task.WaitAsync(within ?? TimeSpan.FromSeconds(60));

    public async Task<ContainerStopped> StoppedAsync(Guid commandId, TimeSpan? within = null)
    {
        var outcome = await OutcomeOfAsync(commandId, within);
        return outcome as ContainerStopped
            ?? throw new Xunit.Sdk.XunitException($"expected ContainerStopped, got {outcome}");
    }

    public async Task<ContainerStopFailed> FailedAsync(Guid commandId, TimeSpan? within = null)
    {
        var outcome = await OutcomeOfAsync(commandId, within);
        return outcome as ContainerStopFailed
            ?? throw new Xunit.Sdk.XunitException($"expected ContainerStopFailed, got {outcome}");
    }

    /// <summary>The ContainerStopping of <paramref name="commandId"/>'s stop, and when it arrived (<see cref="Uptime"/>, in the handler).</summary>
    public Task<(ContainerStopping Event, double ArrivedAtUptime)> StoppingAsync(Guid commandId, TimeSpan? within = null) =>
        Stopping(commandId).Task.WaitAsync(within ?? TimeSpan.FromSeconds(60));

    /// <summary>The ContainerExited that follows the Stuck outcome of <paramref name="commandId"/>.</summary>
    public Task<ContainerExited> ExitedAsync(Guid commandId, TimeSpan? within = null) =>
        exits.GetOrAdd(commandId, _ => new TaskCompletionSource<ContainerExited>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(within ?? TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync() => await bus.StopAsync();

    private TaskCompletionSource<(ContainerStopping, double)> Stopping(Guid commandId) =>
        stoppings.GetOrAdd(commandId, _ => new TaskCompletionSource<(ContainerStopping, double)>(TaskCreationOptions.RunContinuationsAsynchronously));

    private Task Record(Guid commandId, object outcome)
    {
        firstArrivals.TryAdd(commandId, System.Diagnostics.Stopwatch.GetTimestamp());
        all.Enqueue(outcome);
        Slot(commandId).TrySetResult(outcome);
        return Task.CompletedTask;
    }

    private TaskCompletionSource<object> Slot(Guid commandId) =>
        outcomes.GetOrAdd(commandId, _ => new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
}
