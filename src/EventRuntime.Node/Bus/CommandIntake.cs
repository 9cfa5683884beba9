using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Owns the node's command queue endpoint. It is connected after the bus has started, and on shutdown
/// (hosted services stop in reverse order, so before the bus) it is stopped first: no new command is
/// taken, while the stops already running finish and publish their outcomes, for up to nine tenths of
/// <c>Node:ShutdownTimeout</c>. A stop still running then keeps its command unacknowledged: the broker
/// delivers it again at the next start, where it runs again (the stop is idempotent).
/// <see cref="ReconnectAsync"/> replaces the endpoint when the broker has no consumer of the queue although MassTransit
/// believes it has one (<see cref="CommandConsumerWatchdog"/>).
/// </summary>
public sealed class CommandIntake(
    IReceiveEndpointConnector connector,
    IBusRegistrationContext registration,
    StopCoordinator coordinator,
    IOptions<NodeOptions> node,
    IOptions<HostOptions> host,
    ILogger<CommandIntake> logger) : IHostedService
{
    /// <summary>How long a replaced endpoint may take to let go before the new one is connected anyway.</summary>
    private static readonly TimeSpan ReplacedEndpointStop = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim replacing = new(1, 1);
    private readonly DeliveryCounter deliveries = new();
    private volatile HostReceiveEndpointHandle? endpoint;
    private volatile bool stopping;

    /// <summary>The command queue's name on the broker.</summary>
    public string Queue => NodeQueue.For(node.Value.Name);

    /// <summary>Deliveries taken from the command queue since the start, by every endpoint this intake connected.</summary>
    public long Deliveries => deliveries.Taken;

    /// <summary>Deliveries taken and not yet settled (acknowledged, or sent back) on a channel still open: the command queue's slots in use.</summary>
    public int DeliveriesHeld => deliveries.HeldOnOpenChannels;

    /// <summary>Deliveries taken on a channel that has closed since and not settled: their commands are back in the queue.</summary>
    public int DeliveriesHeldOnClosedChannels => deliveries.HeldOnClosedChannels;

    /// <summary>Completes when the current endpoint consumes (MassTransit's word for it); null before the start.</summary>
    public Task? Ready => endpoint?.Ready;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        endpoint = Connect();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the current endpoint and connects a new one on the same queue: a new channel and a new consumer. The old one is
    /// given <see cref="ReplacedEndpointStop"/> to let go; a stop it still runs finishes there, or its command, unacknowledged,
    /// is delivered again (the stop is idempotent, and its outcome is published once).
    /// </summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        await replacing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (stopping || endpoint is not { } old)
            {
                return;
            }

            // MassTransit takes the endpoint out of the bus's collection before it stops it, so the name is free at once even
            // when the stop waits on a channel that will never answer.
            var stopped = old.StopAsync(cancellationToken);
            try
            {
                await stopped.WaitAsync(ReplacedEndpointStop, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("The replaced endpoint of command queue {Queue} has not stopped within {Seconds:0} s; connecting the new one beside it",
                    Queue, ReplacedEndpointStop.TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The replaced endpoint of command queue {Queue} failed to stop", Queue);
            }

            endpoint = Connect();
        }
        finally
        {
            replacing.Release();
        }
    }

    private HostReceiveEndpointHandle Connect()
    {
        var handle = connector.ConnectReceiveEndpoint(Queue, (_, e) => NodeBusExtensions.ConfigureCommandEndpoint(registration, e));
        handle.ReceiveEndpoint.ConnectReceiveObserver(deliveries);
        return handle;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        await replacing.WaitAsync(cancellationToken).ConfigureAwait(false);
        replacing.Release();
        if (endpoint is not { } current)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        // Leave the bus a tenth of the shutdown time to stop after the drain.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(host.Value.ShutdownTimeout * 0.9);
        // MassTransit waits here for the deliveries in progress, until the budget ends the wait.
        try
        {
            await current.StopAsync(budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The budget ran out: what is unfinished is said below.
        }

        if (coordinator.InFlight is var unfinished and > 0)
        {
            logger.LogWarning("Stopping with {Count} stops unfinished after {Seconds:0} s; their commands are delivered again at the next start",
                unfinished, clock.Elapsed.TotalSeconds);
            return;
        }

        logger.LogInformation("Stops in flight finished in {DurationMs} ms", clock.ElapsedMilliseconds);
    }
}
