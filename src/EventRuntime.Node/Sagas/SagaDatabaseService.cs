using EventRuntime.Node.Stopping;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// Opens the saga database when the agent starts (a corrupt, locked or newer file stops the start with
/// one clear message) and forgets answered commands older than their retention. Stops that were in
/// flight when the agent last stopped need nothing from here: their commands were never acknowledged,
/// so the broker delivers them again.
/// </summary>
public sealed class SagaDatabaseService(
    SagaDatabase database,
    StopContainerStateMachine machine,
    IOptions<SagaStoreOptions> options,
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

        if (database.DroppedInFlight > 0)
        {
            logger.LogWarning("The saga database of an older agent held {Count} stops in flight, whose commands it had already acknowledged: " +
                              "they were dropped; their senders see no outcome and should send them again", database.DroppedInFlight);
        }

        await PurgeAsync(cancellationToken).ConfigureAwait(false);
        purgeTimer = new Timer(_ => _ = PurgeAsync(CancellationToken.None), null, PurgeInterval, PurgeInterval);
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
            var purged = await database.InTransactionAsync(async t =>
            {
                var count = 0;
                foreach (var state in machine.Answered)
                {
                    count += await t.PurgeAsync(state.Name, before, cancellationToken).ConfigureAwait(false);
                }

                return count;
            }, cancellationToken).ConfigureAwait(false);
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
}
