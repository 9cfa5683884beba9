namespace EventRuntime.Contracts;

/// <summary>Names on the wire that every sender of <see cref="StopContainer"/> must use.</summary>
public static class NodeQueue
{
    /// <summary>Prefix of every node's command queue.</summary>
    public const string Prefix = "eventruntime-node-";

    /// <summary>The queue (and the exchange bound to it) that carries commands for <paramref name="node"/>.</summary>
    public static string For(string node) => Prefix + node;
}
