using System.Text.Json;
using System.Text.Json.Nodes;
using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Sits first in the node queue's error pipe. A StopContainer whose fields do not parse (a commandId
/// that is no UUID, a timeout that is no number) fails inside MassTransit's deserializer, before any
/// consumer runs; it still gets its one outcome: ContainerStopFailed with InvalidCommand naming the bad
/// field and carrying whatever ids could be read, and is then acknowledged. Every other failure, and a
/// body that is not a JSON object at all, goes on to the error queue with the exception in its headers.
/// Bodies over the size cap and bodies of other content types are not looked at: they were refused
/// unread, and must stay so here.
/// </summary>
public sealed class MalformedCommandFilter(int maxBytes) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (!IsReadable(context) || CommandFieldsOf(context) is not { } fields || StopContainerFields.Problem(fields) is not { } problem)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        var reason = $"invalid command: {problem}";
        var publisher = await context.PublishEndpointProvider.GetPublishSendEndpoint<ContainerStopFailed>().ConfigureAwait(false);
        await publisher.Send(new ContainerStopFailed
        {
            CommandId = Guid.TryParse(StopContainerFields.Text(fields, "commandId"), out var commandId) ? commandId : Guid.Empty,
            Node = StopContainerFields.Text(fields, "node") ?? "",
            ContainerId = StopContainerFields.Text(fields, "containerId") ?? "",
            Code = StopFailureCode.InvalidCommand,
            Reason = reason,
            Causes = [reason, context.Exception.Message],
            FailedAt = DateTimeOffset.UtcNow,
        }, context.CancellationToken).ConfigureAwait(false);

        // Answered, so it must not also end in a queue: without this MassTransit sees a message that no
        // consumer took and no fault was recorded for, and moves it to _skipped as well.
        await context.NotifyFaulted(context.Exception).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("malformedCommand");

    private bool IsReadable(ReceiveContext context) =>
        CommandBody.LengthOf(context.Body) <= maxBytes && CommandBody.IsReadableMediaType(context.ContentType?.MediaType);

    // The command's fields: the envelope's "message" object when the envelope names StopContainer,
    // or the whole body when it came without an envelope.
    private static JsonObject? CommandFieldsOf(ReceiveContext context)
    {
        try
        {
            if (JsonNode.Parse(context.Body.GetBytes()) is not JsonObject body)
            {
                return null;
            }

            if (body["messageType"] is JsonArray types)
            {
                var namesStopContainer = types.Any(t => t?.GetValueKind() == JsonValueKind.String
                    && t.GetValue<string>() == MessageUrn.ForTypeString<StopContainer>());
                return namesStopContainer ? body["message"] as JsonObject : null;
            }

            return body;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
