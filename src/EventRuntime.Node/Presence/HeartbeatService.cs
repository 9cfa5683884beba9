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
/// carries fresher numbers, and the agent's real work must not wait behind its presence. On a clean shutdown a last
/// heartbeat says the agent is leaving, so that the roster drops the node instead of reporting it silent.
/// </summary>
public sealed class HeartbeatService(
    IBus bus,
    StopCoordinator coordinator,
    AgentStart start,
    IOptions<NodeOptions> options,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    /// <summary>How long the leaving heartbeat may hold up the shutdown: the stops in flight and the bus come after it.</summary>
    private static readonly TimeSpan LeavingWait = TimeSpan.FromSeconds(1);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Registered after the bus, so stopped before it: the bus still runs here.
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        leaving.CancelAfter(LeavingWait);
        try
        {
            await bus.Publish(Heartbeat(leaving: true), leaving.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Best effort: a node that could not say goodbye is reported silent until its heartbeats age out of the roster.
            logger.LogWarning("Could not publish the leaving heartbeat of node {NodeName}: {Reason}", options.Value.Name, e.Message);
        }
    }

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
            await bus.Publish(Heartbeat(leaving: false), beat.Token).ConfigureAwait(false);
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

    private NodeHeartbeat Heartbeat(bool leaving) => new()
    {
        Node = options.Value.Name,
        Version = AgentVersion.Current,
        InFlightStops = coordinator.InFlight,
        StartedAt = start.At,
        SentAt = DateTimeOffset.UtcNow,
        Leaving = leaving,
    };
}
