namespace EventRuntime.Node.Presence;

/// <summary>When this agent started, as its heartbeats and its answers to <c>PingNodes</c> report it.</summary>
public sealed class AgentStart
{
    public DateTimeOffset At { get; } = DateTimeOffset.UtcNow;
}
