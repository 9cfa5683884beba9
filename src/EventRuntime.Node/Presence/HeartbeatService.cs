using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Presence;

/// <summary>
/// Publishes a <see cref="NodeHeartbeat"/> when the agent starts and then every
/// <c>Node:HeartbeatInterval</c>, so that a control plane can tell which agents are alive
/// (<c>ert nodes</c>). A heartbeat that cannot be published is skipped, never retried: the next one
/// carries fresher numbers, and the agent's real work must not wait behind its presence.
/// </summary>
public sealed class HeartbeatService(
    IBus bus,
    StopCoordinator coordinator,
    AgentStart start,
    IOptions<NodeOptions> options,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NodeTelemetry.AnnounceVersion(AgentVersion.Current);
        var interval = options.Value.HeartbeatInterval;
        using var timer = new PeriodicTimer(interval);
        do
        {
            await PublishAsync(interval, stoppingToken).ConfigureAwait(false);
        }
        while (await WaitForTickAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PublishAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        // While the broker is away a publish waits for the connection; give up when the next beat is due.
        using var beat = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        beat.CancelAfter(interval);
        try
        {
            await bus.Publish(new NodeHeartbeat
            {
                Node = options.Value.Name,
                Version = AgentVersion.Current,
                InFlightStops = coordinator.InFlight,
                StartedAt = start.At,
                SentAt = DateTimeOffset.UtcNow,
            }, beat.Token).ConfigureAwait(false);
            NodeTelemetry.Heartbeats.Add(1, new KeyValuePair<string, object?>("result", "published"));
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            NodeTelemetry.Heartbeats.Add(1, new KeyValuePair<string, object?>("result", "failed"));
            logger.LogWarning("Could not publish the heartbeat of node {NodeName}: {Reason}", options.Value.Name, e.Message);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The agent is stopping; a last heartbeat is not worth delaying that.
        }
    }
}
