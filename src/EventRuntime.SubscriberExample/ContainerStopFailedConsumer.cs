using EventRuntime.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventRuntime.SubscriberExample;

/// <summary>Reacts to a stop that failed. Codes are strings: a subscriber must accept codes added later.</summary>
public sealed class ContainerStopFailedConsumer(ILogger<ContainerStopFailedConsumer> logger) : IConsumer<ContainerStopFailed>
{
    public Task Consume(ConsumeContext<ContainerStopFailed> context)
    {
        var failed = context.Message;
        var advice = failed.Code switch
        {
            StopFailureCode.NotFound => "nothing to do: the node has no such container",
            StopFailureCode.Paused => "resume it first, or stop it again with resumePaused",
            StopFailureCode.UnmountFailed => "the container stopped, but its root is still mounted: stop it again later",
            _ => "look at the agent's log on that node",
        };
        logger.LogWarning("Container {ContainerId} on node {Node} was not stopped: {Code}: {Reason} ({Advice}; command {CommandId})",
            failed.ContainerId, failed.Node, failed.Code, failed.Reason, advice, failed.CommandId);
        return Task.CompletedTask;
    }
}
