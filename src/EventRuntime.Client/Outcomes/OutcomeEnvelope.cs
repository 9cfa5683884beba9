using System.Reflection;
using System.Text.Json;
using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// Reads an outcome the agent published with MassTransit (its JSON envelope: <c>messageType</c> URNs and the
/// <c>message</c>) off a queue that RabbitMQ.Client consumes. The message types are the contracts' own URNs
/// (<see cref="MessageUrnAttribute"/>), as MassTransit names them.
/// </summary>
internal static class OutcomeEnvelope
{
    private static readonly string StoppedUrn = UrnOf<ContainerStopped>();
    private static readonly string FailedUrn = UrnOf<ContainerStopFailed>();

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
                if (urn == StoppedUrn && message.Deserialize(WireJson.Default.ContainerStopped) is { } stopped)
                {
                    return OutcomeEvent.From(stopped) with { PublishedBy = publishedBy };
                }

                if (urn == FailedUrn && message.Deserialize(WireJson.Default.ContainerStopFailed) is { } failed)
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

    private static string UrnOf<T>() =>
        typeof(T).GetCustomAttribute<MessageUrnAttribute>()?.Urn.ToString() ?? throw new InvalidOperationException($"{typeof(T).Name} has no message URN");

    // urn:message:EventRuntime.Contracts:ContainerStopped is published to the exchange EventRuntime.Contracts:ContainerStopped.
    private static string ExchangeOf(string urn) => urn["urn:message:".Length..];
}
