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
        var published = PublishAsync(new ContainerStopping
        {
            CommandId = order.CommandId,
            Node = node.Value.Name,
            ContainerId = container.Id,
            InstanceId = container.InstanceId,
            DrainSeconds = (int)order.Drain.TotalSeconds,
            SignalAt = signalAt,
            GraceEndsAt = graceEndsAt,
        }, cancellationToken);
        if (order.Drain <= TimeSpan.Zero)
        {
            // Nobody asked for time to react: the signal does not wait for the broker's confirm (the event still
            // leaves before the outcome, which waits for the process to exit).
            return;
        }

        await published.ConfigureAwait(false);

        // Counted from the broker's confirm, not from the publish: subscribers get the whole drain.
        signalAt = Min(DateTime.UtcNow + order.Drain, graceEndsAt);

        // A later command that joined with a shorter grace period may cut the drain short: the deadline is read as it moves.
        while (DateTime.UtcNow < Min(signalAt, order.Grace.EndsAtUtc))
        {
            var left = Min(signalAt, order.Grace.EndsAtUtc) - DateTime.UtcNow;
            await Task.Delay(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(ContainerStopping stopping, CancellationToken cancellationToken)
    {
        try
        {
            await events.StoppingAsync(stopping, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not publish that container {ContainerId} is stopping; stopping it all the same", stopping.ContainerId);
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
