using System.Net.Mime;
using System.Runtime.Serialization;
using System.Text.Json;
using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Puts three checks in front of a MassTransit deserializer: the body is no larger than the node accepts,
/// and its content type is the one this deserializer reads (both before a byte is parsed); and a
/// StopContainer's fields follow the wire contract (<see cref="StopContainerFields"/>). A refusal is
/// a <see cref="SerializationException"/>, which MassTransit's receive pipe turns into a move to the
/// error queue with the reason in the MT-Fault-Message header (a filter in front of the receive pipe could
/// not do that: it runs outside the pipe's rescue, so its exception would requeue the message forever);
/// there <see cref="MalformedCommandFilter"/> answers a command whose fields were refused.
/// It reads only the command queue, so what it reads is a <see cref="CommandConsumeContext"/>.
/// </summary>
internal sealed class BoundedDeserializer(IMessageDeserializer inner, int maxBytes, bool acceptsMissingContentType) : IMessageDeserializer
{
    public ContentType ContentType => inner.ContentType;

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateScope("bounded");
        scope.Add("maxBytes", maxBytes);
        inner.Probe(scope);
    }

    public ConsumeContext Deserialize(ReceiveContext receiveContext)
    {
        // MassTransit hands a body whose content type it has no deserializer for to the default one:
        // without this check a body labelled text/plain would be read as an envelope.
        if (!Reads(receiveContext.ContentType))
        {
            throw new SerializationException(
                $"content type \"{receiveContext.ContentType?.MediaType}\" is not accepted on this queue (only {CommandBody.EnvelopeMediaType} and {CommandBody.RawJsonMediaType} are); it was not read");
        }

        CheckSize(receiveContext.Body);
        CheckCommandFields(receiveContext.Body);
        return new CommandConsumeContext(inner.Deserialize(receiveContext));
    }

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
    {
        CheckSize(body);
        return inner.Deserialize(body, headers, destinationAddress);
    }

    public MessageBody GetMessageBody(string text) => inner.GetMessageBody(text);

    private bool Reads(ContentType? contentType) =>
        contentType is null || string.IsNullOrEmpty(contentType.MediaType)
            ? acceptsMissingContentType
            : string.Equals(contentType.MediaType, ContentType.MediaType, StringComparison.OrdinalIgnoreCase);

    // The contract's rules for a StopContainer's fields, in this one place, before the inner reader: it would
    // keep the last of two keys that differ only in casing, and read some UUID spellings the contract refuses.
    private static void CheckCommandFields(MessageBody body)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(body.GetBytes());
        }
        catch (JsonException)
        {
            return; // not JSON: the inner reader says why
        }

        using (parsed)
        {
            if (StopContainerFields.ProblemOf(parsed) is { } problem)
            {
                throw new SerializationException($"invalid command: {problem}; it was not read");
            }
        }
    }

    private void CheckSize(MessageBody body)
    {
        var length = CommandBody.LengthOf(body);
        if (length > maxBytes)
        {
            throw new SerializationException($"message body is {length} bytes; this node accepts at most {maxBytes} (Intake:MaxMessageBytes); it was not read");
        }
    }
}
