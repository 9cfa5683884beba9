using EventRuntime.Node.Storage;

namespace EventRuntime.Testing;

/// <summary>Storage with nothing mounted: a simulated container has no root file system to unmount.</summary>
internal sealed class NoStorage : IContainerStorage
{
    public string Mount(string containerId, string lowerDirectory) => MountPointOf(containerId);

    public void Unmount(string containerId)
    {
    }

    public bool IsMounted(string containerId) => false;

    public string MountPointOf(string containerId) => "/nonexistent/" + containerId;

    public void Remove(string containerId)
    {
    }
}
