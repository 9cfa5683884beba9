using EventRuntime.Node.Kernel;

namespace EventRuntime.Node.Containers;

/// <summary>The layout of a node's state directory.</summary>
public sealed class NodePaths(string stateDirectory)
{
    public string StateDirectory { get; } = Path.GetFullPath(stateDirectory);

    public string Storage => Path.Combine(StateDirectory, "storage");

    /// <summary>Throws <see cref="ArgumentException"/> for an id that is not a valid container id: it must not name a path outside the state directory.</summary>
    public string BundleOf(string containerId)
    {
        ContainerId.Validate(containerId);
        return Path.Combine(StateDirectory, "bundles", containerId);
    }

    public string LogOf(string containerId) => Path.Combine(BundleOf(containerId), "container.log");
}
