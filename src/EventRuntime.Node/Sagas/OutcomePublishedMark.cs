using EventRuntime.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// Watches the agent's publishes: once the broker has confirmed an outcome (MassTransit calls PostPublish after
/// the publish's send, with its confirm, has completed, and the outbox awaits that before the command is
/// acknowledged), marks the command's instance published. A delivery of the same command that comes again
/// (the agent died before its ack reached the broker, 1–60 ms later on a cold agent) finds the mark and
/// publishes no second outcome; without it, it must publish the stored outcome again, since it cannot tell
/// whether the first one left.
/// Outcomes under the all-zero id (commands without one) are not marked.
/// </summary>
public sealed class OutcomePublishedMark(SagaDatabase database, ILogger<OutcomePublishedMark> logger) : IPublishObserver
{
    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public async Task PostPublish<T>(PublishContext<T> context)
        where T : class
    {
        var commandId = context.Message switch
        {
            ContainerStopped stopped => stopped.CommandId,
            ContainerStopFailed failed => failed.CommandId,
            _ => Guid.Empty,
        };
        if (commandId == Guid.Empty || !database.IsOpen)
        {
            return;
        }

        try
        {
            await database.InTransactionAsync(async t =>
            {
                await t.MarkPublishedAsync(commandId, CancellationToken.None).ConfigureAwait(false);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The outcome is out; what is lost is only the guard against a second one after a crash.
            logger.LogWarning(e, "Could not mark the outcome of command {CommandId} as published; a redelivery of it would publish it again", commandId);
        }
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
