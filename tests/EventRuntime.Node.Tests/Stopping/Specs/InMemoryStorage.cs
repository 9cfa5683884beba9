using System.Collections.Concurrent;
using EventRuntime.Node.Storage;

namespace EventRuntime.Node.Tests.Stopping.Specs;

/// <summary>Container roots as a set of names: mounted, unmounted, nothing on disk.</summary>
public sealed class InMemoryStorage : IContainerStorage
{
    private readonly ConcurrentDictionary<string, bool> mounted = new();

    public string Mount(string containerId, string lowerDirectory)
    {
        mounted[containerId] = true;
        return MountPointOf(containerId);
    }

    public void Unmount(string containerId) => mounted.TryRemove(containerId, out _);

    public bool IsMounted(string containerId) => mounted.ContainsKey(containerId);

    public bool HasLayers(string containerId) => mounted.ContainsKey(containerId);

    public string MountPointOf(string containerId) => "/storage/" + containerId;

    public void Remove(string containerId) => mounted.TryRemove(containerId, out _);
}
