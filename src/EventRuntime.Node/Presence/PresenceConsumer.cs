using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Presence;

/// <summary>Answers <see cref="PingNodes"/> at once with a <see cref="NodePresence"/>: what a heartbeat says, without waiting for one.</summary>
public sealed class PresenceConsumer(StopCoordinator coordinator, AgentStart start, IOptions<NodeOptions> node, TimeProvider clock) : IConsumer<PingNodes>
{
    public async Task Consume(ConsumeContext<PingNodes> context)
    {
        var now = clock.GetUtcNow();
        if (!FleetQuestion.IsFor(node.Value.Name, context.Message.Nodes, context.Message.AnswerBy, now))
        {
            return;
        }

        await context.Publish(new NodePresence
        {
            RequestId = context.Message.RequestId,
            Node = node.Value.Name,
            Version = AgentVersion.Current,
            InFlightStops = coordinator.InFlight,
            StartedAt = start.At,
            SentAt = now,
        }, context.CancellationToken).ConfigureAwait(false);
    }
}
