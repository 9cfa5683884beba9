namespace EventRuntime.Node.Storage;

/// <summary>A container's root filesystem: mounted before the container is created, unmounted after it stopped.</summary>
public interface IContainerStorage
{
    /// <summary>Mounts a writable root for <paramref name="containerId"/> over the read-only <paramref name="lowerDirectory"/>; returns the mount point.</summary>
    string Mount(string containerId, string lowerDirectory);

    /// <summary>Unmounts the container's root. Not mounted is success; a busy mount throws <see cref="StorageException"/> with <see cref="StorageErrorKind.Busy"/>.</summary>
    void Unmount(string containerId);

    bool IsMounted(string containerId);

    /// <summary>Whether the container's layers are on disk, mounted or not (what <see cref="Remove"/> would remove).</summary>
    bool HasLayers(string containerId);

    /// <summary>Where the container's root is (or would be) mounted.</summary>
    string MountPointOf(string containerId);

    /// <summary>Removes the container's upper and work layers; the root must be unmounted.</summary>
    void Remove(string containerId);
}
