using EventRuntime.Node.Storage;

namespace EventRuntime.Testing;

/// <summary>Storage with nothing mounted: a simulated container has no root file system to unmount.</summary>
public sealed class NoStorage : IContainerStorage
{
    /// <inheritdoc />
    public string Mount(string containerId, string lowerDirectory) => MountPointOf(containerId);

    /// <inheritdoc />
    public void Unmount(string containerId)
    {
    }

    /// <inheritdoc />
    public bool IsMounted(string containerId) => false;

    /// <inheritdoc />
    public bool HasLayers(string containerId) => false;

    /// <inheritdoc />
    public string MountPointOf(string containerId) => "/nonexistent/" + containerId;

    /// <inheritdoc />
    public void Remove(string containerId)
    {
    }
}
