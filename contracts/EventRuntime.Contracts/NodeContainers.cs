using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>Event: one node's answer to <see cref="ListContainers"/>, from its container records.</summary>
[MessageUrn("EventRuntime.Contracts:NodeContainers")]
public record NodeContainers
{
    /// <summary>The <see cref="ListContainers.RequestId"/> this answers.</summary>
    public Guid RequestId { get; init; }

    /// <summary>The node that answered.</summary>
    public string Node { get; init; } = "";

    /// <summary>Its containers that match the selector, by id.</summary>
    public IReadOnlyList<ContainerSummary> Containers { get; init; } = [];

    /// <summary>Why the node could not answer the question (a selector it cannot read, a record it cannot read); null when it could.</summary>
    public string? Error { get; init; }
}
