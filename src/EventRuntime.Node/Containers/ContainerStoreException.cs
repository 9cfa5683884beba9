namespace EventRuntime.Node.Containers;

public sealed class ContainerNotFoundException(string containerId)
    : Exception($"container {containerId} is not known to this node")
{
    public string ContainerId { get; } = containerId;
}

public sealed class ContainerStoreException(string message, Exception? inner = null) : Exception(message, inner);
