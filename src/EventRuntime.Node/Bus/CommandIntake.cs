using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Sagas;
using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Owns the node's command queue endpoint. It is connected after the bus has started, and on shutdown
/// (hosted services stop in reverse order, so before the bus) it is stopped first: no new command is
/// taken, while the stops already started finish and publish their outcomes through the saga's own
/// queue, for up to <c>Node:ShutdownTimeout</c>. Commands left in the queue wait for the next start.
/// </summary>
public sealed class CommandIntake(
    IReceiveEndpointConnector connector,
    IBusRegistrationContext registration,
    StopCoordinator coordinator,
    SagaDatabase sagas,
    StopContainerStateMachine machine,
    IOptions<NodeOptions> node,
    IOptions<HostOptions> host,
    ILogger<CommandIntake> logger) : IHostedService
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(100);
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

        await endpoint.StopAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        // Leave the bus a tenth of the shutdown time to stop after the drain.
        var budget = host.Value.ShutdownTimeout * 0.9;
        // The count itself is not cancelled: a host that runs out of shutdown time gets the warning below, not an exception.
        while (await InFlightAsync(CancellationToken.None).ConfigureAwait(false) is var inFlight and > 0)
        {
            if (clock.Elapsed > budget || cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Stopping with {Count} stops unfinished after {Seconds:0} s; they resume at the next start", inFlight, clock.Elapsed.TotalSeconds);
                return;
            }

            await Task.Delay(DrainPoll, CancellationToken.None).ConfigureAwait(false);
        }

        logger.LogInformation("Stops in flight finished in {DurationMs} ms", clock.ElapsedMilliseconds);
    }

    private async Task<int> InFlightAsync(CancellationToken cancellationToken)
    {
        if (coordinator.InFlight > 0)
        {
            return coordinator.InFlight;
        }

        // Finished by the worker, but the outcome is published only when the saga has read the answer.
        var pending = await sagas.InTransactionAsync(t => t.LoadInStateAsync(machine.Execution.Pending.Name, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return pending.Count;
    }
}
