namespace EventRuntime.Node.Containers;

/// <summary>The layout of a node's state directory.</summary>
public sealed class NodePaths(string stateDirectory)
{
    public string StateDirectory { get; } = Path.GetFullPath(stateDirectory);

    public string Storage => Path.Combine(StateDirectory, "storage");

    public string BundleOf(string containerId) => Path.Combine(StateDirectory, "bundles", containerId);

    public string LogOf(string containerId) => Path.Combine(BundleOf(containerId), "container.log");
}
