using EventRuntime.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventRuntime.SubscriberExample;

/// <summary>Reacts to a stopped container. Replace the log line with the subscriber's own work.</summary>
public sealed class ContainerStoppedConsumer(ILogger<ContainerStoppedConsumer> logger) : IConsumer<ContainerStopped>
{
    public Task Consume(ConsumeContext<ContainerStopped> context)
    {
        var stopped = context.Message;
        // Outcomes arrive at least once (an agent that crashed after publishing publishes again):
        // whatever happens here must be safe to do twice for the same CommandId.
        logger.LogInformation("Container {ContainerId} on node {Node} stopped at {StoppedAt:O} (command {CommandId})",
            stopped.ContainerId, stopped.Node, stopped.StoppedAt, stopped.CommandId);
        return Task.CompletedTask;
    }
}
