using System.Text.Json;
using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using MassTransit;
using MassTransit.Transports;

namespace EventRuntime.Node.Bus;

/// <summary>
/// The command queue's dead-letter pipe: moves a message that no consumer took to the _skipped queue, as
/// MassTransit does, but with the reason in its MT-Reason header ("not consumed here: urn:message:…")
/// instead of MassTransit's bare "dead-letter", so that whoever reads _skipped sees what was sent.
/// </summary>
internal sealed class SkipReasonFilter : IFilter<ReceiveContext>
{
    private static readonly string Accepted = MessageUrn.ForTypeString<StopContainer>();

    public Task Send(ReceiveContext context, IPipe<ReceiveContext> next) =>
        context.GetPayload<IDeadLetterTransport>().Send(context, $"not consumed on this queue: message type {TypesOf(context)}; it takes only {Accepted}");

    public void Probe(ProbeContext context) => context.CreateFilterScope("skipReason");

    // Only bodies that were read get here (the others fault), so they are JSON within the size cap.
    private static string TypesOf(ReceiveContext context)
    {
        try
        {
            using var body = JsonDocument.Parse(context.Body.GetBytes());
            if (body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array)
            {
                var named = types.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : t.GetRawText()).Take(4);
                return string.Join(", ", named.Select(n => HostileText.Printable(n, 120)));
            }
        }
        catch (JsonException)
        {
        }

        return "(none named)";
    }
}
