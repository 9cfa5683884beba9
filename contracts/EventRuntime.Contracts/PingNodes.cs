using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Request: who is there? Published like <see cref="ListContainers"/>, to every agent's <c>_fleet</c> queue;
/// each agent named in <see cref="Nodes"/> (every agent when empty) publishes a <see cref="NodePresence"/> at once.
/// </summary>
[MessageUrn("EventRuntime.Contracts:PingNodes")]
public record PingNodes
{
    /// <summary>Chosen by the asker; the answers carry it back.</summary>
    public Guid RequestId { get; init; }

    /// <summary>The nodes asked; empty asks every node.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>When the asker stops listening: an agent that gets the request later does not answer it.</summary>
    public DateTimeOffset? AnswerBy { get; init; }
}
