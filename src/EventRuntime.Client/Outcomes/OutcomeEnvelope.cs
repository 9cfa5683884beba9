using System.Text.Json;
using EventRuntime.Contracts;
using MassTransit;
using MassTransit.Serialization;

namespace EventRuntime.Client;

/// <summary>
/// Reads an outcome the agent published with MassTransit (its JSON envelope: <c>messageType</c> URNs and the
/// <c>message</c>) off a queue that RabbitMQ.Client consumes. The message is read with MassTransit's own serializer
/// options, so it is read as the bus would read it.
/// </summary>
internal static class OutcomeEnvelope
{
    private static readonly string StoppedUrn = MessageUrn.ForTypeString<ContainerStopped>();
    private static readonly string FailedUrn = MessageUrn.ForTypeString<ContainerStopFailed>();

    /// <summary>The exchanges the agents publish outcomes to, which a client's outcome queue binds.</summary>
    public static readonly IReadOnlyList<string> Exchanges = [ExchangeOf(StoppedUrn), ExchangeOf(FailedUrn)];

    /// <summary>The outcome in <paramref name="body"/>; null when it is not an outcome this client reads or not well-formed.</summary>
    public static OutcomeEvent? Read(ReadOnlyMemory<byte> body, string? publishedBy)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            if (!envelope.RootElement.TryGetProperty("message", out var message) ||
                !envelope.RootElement.TryGetProperty("messageType", out var types) || types.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var type in types.EnumerateArray())
            {
                var urn = type.GetString();
                if (urn == StoppedUrn && message.Deserialize<ContainerStopped>(SystemTextJsonMessageSerializer.Options) is { } stopped)
                {
                    return OutcomeEvent.From(stopped) with { PublishedBy = publishedBy };
                }

                if (urn == FailedUrn && message.Deserialize<ContainerStopFailed>(SystemTextJsonMessageSerializer.Options) is { } failed)
                {
                    return OutcomeEvent.From(failed) with { PublishedBy = publishedBy };
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // urn:message:EventRuntime.Contracts:ContainerStopped is published to the exchange EventRuntime.Contracts:ContainerStopped.
    private static string ExchangeOf(string urn) => urn["urn:message:".Length..];
}
