namespace EventRuntime.Node.Storage;

/// <summary>
/// Overlay root filesystems under <c>&lt;state&gt;/storage/&lt;id&gt;/</c>: <c>upper</c> and <c>work</c> per
/// container over a shared read-only lower directory, mounted on <c>merged</c>.
/// </summary>
public sealed class OverlayStorage(string storageRoot) : IContainerStorage
{
    public string Mount(string containerId, string lowerDirectory)
    {
        var layers = LayersOf(containerId);
        var lower = Path.GetFullPath(lowerDirectory);
        if (!Directory.Exists(lower))
        {
            throw new StorageException(StorageErrorKind.Failed, MountPointOf(containerId), $"rootfs directory {lower} does not exist");
        }

        var upper = Directory.CreateDirectory(Path.Combine(layers, "upper")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(layers, "work")).FullName;
        var merged = Directory.CreateDirectory(MountPointOf(containerId)).FullName;
        if (MountInfo.IsMounted(merged))
        {
            return merged;
        }

        if (Libc.Mount("overlay", merged, "overlay", 0, $"lowerdir={lower},upperdir={upper},workdir={work}") != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new StorageException(StorageErrorKind.Failed, merged, $"mount overlay on {merged}: {Libc.Describe(errno)}");
        }

        return merged;
    }

    public void Unmount(string containerId)
    {
        var merged = MountPointOf(containerId);
        // Idempotent: a stop that is retried after a crash finds the root already unmounted.
        if (!MountInfo.IsMounted(merged))
        {
            return;
        }

        if (Libc.Unmount(merged, 0) == 0)
        {
            return;
        }

        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        switch (errno)
        {
            case Libc.EINVAL or Libc.ENOENT when !MountInfo.IsMounted(merged):
                return; // someone else unmounted it between our check and our call
            case Libc.EBUSY:
                throw new StorageException(StorageErrorKind.Busy, merged, $"unmount {merged}: {Libc.Describe(errno)}");
            default:
                throw new StorageException(StorageErrorKind.Failed, merged, $"unmount {merged}: {Libc.Describe(errno)}");
        }
    }

    public bool IsMounted(string containerId) => MountInfo.IsMounted(MountPointOf(containerId));

    public string MountPointOf(string containerId) => Path.Combine(LayersOf(containerId), "merged");

    public bool HasLayers(string containerId) => Directory.Exists(LayersOf(containerId));

    public void Remove(string containerId)
    {
        if (IsMounted(containerId))
        {
            throw new StorageException(StorageErrorKind.Busy, MountPointOf(containerId), $"remove storage of {containerId}: still mounted");
        }

        var layers = LayersOf(containerId);
        if (Directory.Exists(layers))
        {
            Directory.Delete(layers, recursive: true);
        }
    }

    // Every path of a container is built here, so no id that could leave the storage root gets further.
    private string LayersOf(string containerId)
    {
        Kernel.ContainerId.Validate(containerId);
        return Path.Combine(Path.GetFullPath(storageRoot), containerId);
    }
}
