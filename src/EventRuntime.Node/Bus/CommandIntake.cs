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
/// </summary>
public sealed class CommandIntake(
    IReceiveEndpointConnector connector,
    IBusRegistrationContext registration,
    StopCoordinator coordinator,
    IOptions<NodeOptions> node,
    IOptions<HostOptions> host,
    ILogger<CommandIntake> logger) : IHostedService
{
    private HostReceiveEndpointHandle? endpoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        endpoint = connector.ConnectReceiveEndpoint(NodeQueue.For(node.Value.Name),
            (_, e) => NodeBusExtensions.ConfigureCommandEndpoint(registration, e));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (endpoint is null)
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
            await endpoint.StopAsync(budget.Token).ConfigureAwait(false);
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
