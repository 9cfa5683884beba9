using System.Text.Json;
using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Sits first in the node queue's error pipe. A StopContainer whose fields do not parse (a commandId that is
/// no UUID in its one accepted spelling, a timeout that is no number, a field named twice) fails inside
/// MassTransit's deserializer or ours, before any consumer runs; it still gets its one outcome:
/// ContainerStopFailed with InvalidCommand naming the bad field and carrying whatever ids could be read (the
/// all-zero command id when none), and is then acknowledged. Every other failure, and a body that is not a
/// JSON object at all, goes on to the error queue with the exception in its headers. Bodies over the size
/// cap and bodies of other content types are not looked at: they were refused unread, and must stay so here.
/// </summary>
public sealed class MalformedCommandFilter(int maxBytes) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (!IsReadable(context) || Parse(context) is not { } body)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        using (body)
        {
            if (StopContainerFields.CommandOf(body) is not { } fields || StopContainerFields.ProblemOf(body) is not { } problem)
            {
                await next.Send(context).ConfigureAwait(false);
                return;
            }

            var reason = $"invalid command: {problem}";
            NodeTelemetry.CommandsRefused.Add(1, new KeyValuePair<string, object?>("reason", "malformed"));
            var publisher = await context.PublishEndpointProvider.GetPublishSendEndpoint<ContainerStopFailed>().ConfigureAwait(false);
            await publisher.Send(new ContainerStopFailed
            {
                // Read leniently here, so that a sender of another UUID spelling is told under its own id.
                CommandId = Guid.TryParse(StopContainerFields.Text(fields, "commandId"), out var commandId) ? commandId : Guid.Empty,
                Node = HostileText.Quoted(StopContainerFields.Text(fields, "node"), ContainerId.MaxLength),
                ContainerId = HostileText.Quoted(StopContainerFields.Text(fields, "containerId"), ContainerId.MaxLength),
                Code = StopFailureCode.InvalidCommand,
                Reason = reason,
                Causes = [reason, context.Exception.Message],
                FailedAt = DateTimeOffset.UtcNow,
            }, context.CancellationToken).ConfigureAwait(false);
        }

        // Answered, so it must not also end in a queue: without this MassTransit sees a message that no
        // consumer took and no fault was recorded for, and moves it to _skipped as well.
        await context.NotifyFaulted(context.Exception).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("malformedCommand");

    private bool IsReadable(ReceiveContext context) =>
        CommandBody.LengthOf(context.Body) <= maxBytes && CommandBody.IsReadableMediaType(context.ContentType?.MediaType);

    private static JsonDocument? Parse(ReceiveContext context)
    {
        try
        {
            return JsonDocument.Parse(context.Body.GetBytes());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
