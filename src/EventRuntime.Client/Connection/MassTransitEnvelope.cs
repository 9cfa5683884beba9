using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// MassTransit's JSON envelope (<c>messageType</c> URNs and the <c>message</c>, docs/wire-contract.md), written and read
/// without a bus for the paths that use RabbitMQ.Client. The message types are the contracts' own URNs
/// (<see cref="MessageUrnAttribute"/>); each is published to the fanout exchange named after it.
/// </summary>
internal static class MassTransitEnvelope
{
    public const string ContentType = "application/vnd.masstransit+json";

    public static string UrnOf<T>() =>
        typeof(T).GetCustomAttribute<MessageUrnAttribute>()?.Urn.ToString() ?? throw new InvalidOperationException($"{typeof(T).Name} has no message URN");

    // urn:message:EventRuntime.Contracts:ContainerStopped is published to the exchange EventRuntime.Contracts:ContainerStopped.
    public static string ExchangeOf(string urn) => urn["urn:message:".Length..];

    public static byte[] Write<T>(T message, Guid messageId, JsonTypeInfo<T> type)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("messageId", messageId);
            json.WriteStartArray("messageType");
            json.WriteStringValue(UrnOf<T>());
            json.WriteEndArray();
            json.WritePropertyName("message");
            JsonSerializer.Serialize(json, message, type);
            json.WriteString("sentTime", DateTimeOffset.UtcNow);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The message of <paramref name="body"/> when its types include <paramref name="urn"/>; null when not, or when it is not well-formed.</summary>
    public static T? Read<T>(ReadOnlyMemory<byte> body, string urn, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            if (!envelope.RootElement.TryGetProperty("message", out var message) ||
                !envelope.RootElement.TryGetProperty("messageType", out var types) || types.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return types.EnumerateArray().Any(t => t.GetString() == urn) ? message.Deserialize(type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
