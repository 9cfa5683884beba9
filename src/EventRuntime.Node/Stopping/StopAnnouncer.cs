using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Tells subscribers that a running container is about to get its stop signal (<see cref="ContainerStopping"/>),
/// then waits the command's drain, inside its grace period, so a load balancer can take the container out
/// first (Kubernetes' preStop sleep, Nomad's shutdown_delay). The stop does not depend on the event: one
/// that cannot be published is logged and the stop goes on.
/// </summary>
public sealed class StopAnnouncer(IStopEvents events, IOptions<NodeOptions> node, ILogger<StopAnnouncer> logger)
{
    public async Task AnnounceAsync(ContainerRecord container, StopOrder order, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var graceEndsAt = order.Grace.EndsAtUtc;
        var signalAt = Min(now + order.Drain, graceEndsAt);
        try
        {
            await events.StoppingAsync(new ContainerStopping
            {
                CommandId = order.CommandId,
                Node = node.Value.Name,
                ContainerId = container.Id,
                InstanceId = container.InstanceId,
                DrainSeconds = (int)order.Drain.TotalSeconds,
                SignalAt = signalAt,
                GraceEndsAt = graceEndsAt,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not publish that container {ContainerId} is stopping; stopping it all the same", container.Id);
        }

        // Counted from the broker's confirm, not from the publish: subscribers get the whole drain.
        signalAt = Min(DateTime.UtcNow + order.Drain, graceEndsAt);

        // A later command that joined with a shorter grace period may cut the drain short: the deadline is read as it moves.
        while (DateTime.UtcNow < Min(signalAt, order.Grace.EndsAtUtc))
        {
            var left = Min(signalAt, order.Grace.EndsAtUtc) - DateTime.UtcNow;
            await Task.Delay(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
