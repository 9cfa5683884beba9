using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// Opens the saga database when the agent starts (a corrupt, locked or newer file stops the start with
/// one clear message), forgets answered commands older than their retention, and once the bus runs asks
/// again for every stop that was in flight when the agent last stopped. Asking again is safe: the stop
/// is idempotent, joins a running one, and the saga ignores a second response.
/// </summary>
public sealed class SagaDatabaseService(
    SagaDatabase database,
    StopContainerStateMachine machine,
    IOptions<SagaStoreOptions> options,
    IOptions<NodeOptions> node,
    IBus bus,
    IHostApplicationLifetime lifetime,
    ILogger<SagaDatabaseService> logger) : IHostedService
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);
    private Timer? purgeTimer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!database.IsOpen)
        {
            database.Open(options.Value.LockWait);
        }

        await PurgeAsync(cancellationToken).ConfigureAwait(false);
        purgeTimer = new Timer(_ => _ = PurgeAsync(CancellationToken.None), null, PurgeInterval, PurgeInterval);
        lifetime.ApplicationStarted.Register(() => _ = ResumeInFlightAsync());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (purgeTimer is not null)
        {
            await purgeTimer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var before = DateTimeOffset.UtcNow - options.Value.CompletedRetention;
            var purged = await database.InTransactionAsync(t => t.PurgeAsync(machine.Completed.Name, before, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            if (purged > 0)
            {
                logger.LogInformation("Forgot {Count} answered stop commands older than {Retention}", purged, options.Value.CompletedRetention);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not purge answered stop commands from {Database}", database.Path);
        }
    }

    private async Task ResumeInFlightAsync()
    {
        try
        {
            var inFlight = await database.InTransactionAsync(t => t.LoadInStateAsync(machine.Execution.Pending.Name, CancellationToken.None), CancellationToken.None)
                .ConfigureAwait(false);
            if (inFlight.Count == 0)
            {
                return;
            }

            logger.LogInformation("Resuming {Count} stops that were in flight", inFlight.Count);
            var stopQueue = await bus.GetSendEndpoint(new Uri($"queue:{StopQueue.For(node.Value.Name)}")).ConfigureAwait(false);
            var responseAddress = new Uri($"queue:{Contracts.NodeQueue.For(node.Value.Name)}");
            foreach (var saga in inFlight)
            {
                await stopQueue.Send(StopContainerStateMachine.ExecuteStopOf(saga), context =>
                {
                    context.RequestId = saga.CorrelationId;
                    context.ResponseAddress = responseAddress;
                    StopQueue.SendFaultsToSaga(context, node.Value.Name);
                }).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not resume the stops that were in flight; their commands' redelivery will");
        }
    }
}
