using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Request: which containers do you hold? Published (to the fanout exchange of its type, which every agent's
/// <c>eventruntime-node-&lt;node&gt;_fleet</c> queue binds), so one message asks the whole fleet; each agent named
/// in <see cref="Nodes"/> (every agent when empty) publishes a <see cref="NodeContainers"/> with the same
/// <see cref="RequestId"/>, listing the containers that match <see cref="Selector"/>.
/// </summary>
[MessageUrn("EventRuntime.Contracts:ListContainers")]
public record ListContainers
{
    /// <summary>Chosen by the asker; the answers carry it back.</summary>
    public Guid RequestId { get; init; }

    /// <summary>The nodes asked; empty asks every node.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>A <see cref="LabelSelector"/> (<c>app=web,tier!=db</c>); empty matches every container.</summary>
    public string Selector { get; init; } = "";

    /// <summary>When the asker stops listening: an agent that gets the request later does not answer it.</summary>
    public DateTimeOffset? AnswerBy { get; init; }
}
