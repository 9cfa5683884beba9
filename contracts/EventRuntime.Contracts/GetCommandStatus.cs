using MassTransit;

namespace EventRuntime.Contracts;

/// <summary>
/// Request: what became of command <see cref="CommandId"/> on <see cref="Node"/>? Sent like a
/// <see cref="StopContainer"/>, to the node's exchange; the node publishes a <see cref="CommandStatus"/>
/// carrying the same <see cref="RequestId"/>.
/// </summary>
[MessageUrn("EventRuntime.Contracts:GetCommandStatus")]
public record GetCommandStatus
{
    /// <summary>Chosen by the asker; the answer carries it back.</summary>
    public Guid RequestId { get; init; }

    /// <summary>The node asked.</summary>
    public string Node { get; init; } = "";

    /// <summary>The <see cref="StopContainer.CommandId"/> asked about.</summary>
    public Guid CommandId { get; init; }
}
