using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>A container of the fleet: the node that holds it and what that node says about it.</summary>
/// <param name="Node">The node whose agent answered for it.</param>
/// <param name="Container">Its id, instance, recorded status and labels.</param>
public sealed record FleetContainer(string Node, ContainerSummary Container)
{
    /// <summary>The node recorded it stopped: a fleet stop leaves it out.</summary>
    public bool IsStopped => Container.Status == ContainerSummary.Stopped;
}
