using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>
/// Reads an outcome the agent published with MassTransit (<see cref="MassTransitEnvelope"/>) off a queue that
/// RabbitMQ.Client consumes.
/// </summary>
internal static class OutcomeEnvelope
{
    private static readonly string StoppedUrn = MassTransitEnvelope.UrnOf<ContainerStopped>();
    private static readonly string FailedUrn = MassTransitEnvelope.UrnOf<ContainerStopFailed>();

    /// <summary>The exchanges the agents publish outcomes to, which a client's outcome queue binds.</summary>
    public static readonly IReadOnlyList<string> Exchanges = [MassTransitEnvelope.ExchangeOf(StoppedUrn), MassTransitEnvelope.ExchangeOf(FailedUrn)];

    /// <summary>The outcome in <paramref name="body"/>; null when it is not an outcome this client reads or not well-formed.</summary>
    public static OutcomeEvent? Read(ReadOnlyMemory<byte> body, string? publishedBy) =>
        MassTransitEnvelope.Read(body, StoppedUrn, WireJson.Default.ContainerStopped) is { } stopped
            ? OutcomeEvent.From(stopped) with { PublishedBy = publishedBy }
            : MassTransitEnvelope.Read(body, FailedUrn, WireJson.Default.ContainerStopFailed) is { } failed
                ? OutcomeEvent.From(failed) with { PublishedBy = publishedBy }
                : null;
}
