namespace EventRuntime.Node.Kernel;

/// <summary>The node agent's own settings (section "Node"). See docs/configuration.md.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>This node's name; the agent consumes queue <c>eventruntime-node-&lt;Name&gt;</c>.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Where container records, storage layers and bundles live.</summary>
    public string StateDirectory { get; set; } = "/var/lib/eventruntime";

    /// <summary>How often the agent publishes a NodeHeartbeat (it also publishes one when it starts).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);
}
