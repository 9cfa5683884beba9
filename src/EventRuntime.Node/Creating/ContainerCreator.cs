using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;

namespace EventRuntime.Node.Creating;

/// <summary>What to create: an id, a read-only root directory, the command to run in it, the runtime (<see cref="RuntimeCatalog.Names"/>) and its labels.</summary>
public sealed record CreateContainerRequest(
    string Id, string RootfsDirectory, IReadOnlyList<string> Args, string StopSignal = Signals.Term, string Runtime = RuntimeCatalog.Runc,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>
/// Creates and starts containers so that there is something to stop: storage first, then the bundle,
/// then the runtime, then the record. A failure undoes what was done, in reverse.
/// </summary>
public sealed class ContainerCreator(RuntimeCatalog runtimes, IContainerStorage storage, ContainerStore store, NodePaths paths)
{
    public async Task<ContainerRecord> CreateAndStartAsync(CreateContainerRequest request, CancellationToken cancellationToken)
    {
        ContainerId.Validate(request.Id);
        var id = request.Id;
        if (request.Args.Count == 0)
        {
            throw new ArgumentException($"container {id}: no command given", nameof(request));
        }

        var stopSignal = Signals.Normalize(request.StopSignal);
        if (!RuntimeCatalog.Names.Contains(request.Runtime))
        {
            throw new ArgumentException($"container {id}: unknown runtime {HostileText.Quoted(request.Runtime, 32)}; one of {string.Join(", ", RuntimeCatalog.Names)}", nameof(request));
        }

        var labels = request.Labels ?? new Dictionary<string, string>();
        if (labels.Select(label => Labels.KeyProblem(label.Key) ?? Labels.ValueProblem(label.Value)).FirstOrDefault(problem => problem is not null) is { } labelProblem)
        {
            throw new ArgumentException($"container {id}: {labelProblem}", nameof(request));
        }

        var runtime = runtimes.For(request.Runtime);
        if (store.Exists(id))
        {
            throw new InvalidOperationException($"container {id} already exists");
        }

        var bundle = paths.BundleOf(id);
        var cgroupsPath = paths.CgroupOf(id);
        try
        {
            var rootfs = storage.Mount(id, request.RootfsDirectory);
            // The spec always comes from the node's runc: it matches every OCI runtime, and runsc writes none.
            await BundleWriter.WriteAsync(runtimes.Default, bundle, id, rootfs, request.Args, cgroupsPath, cancellationToken).ConfigureAwait(false);
            var files = paths.MonitorFilesOf(id);
            var monitor = await runtime.CreateAsync(id, bundle, files, cancellationToken).ConfigureAwait(false);
            await runtime.StartAsync(id, cancellationToken).ConfigureAwait(false);

            var now = DateTimeOffset.UtcNow;
            var record = new ContainerRecord
            {
                Id = id,
                InstanceId = Guid.NewGuid().ToString("D"),
                Bundle = bundle,
                RootfsLower = Path.GetFullPath(request.RootfsDirectory),
                RootfsMount = rootfs,
                Runtime = request.Runtime,
                CgroupsPath = cgroupsPath,
                Monitor = monitor,
                ExitFile = files.ExitFileOf(id),
                LogPath = files.LogPath,
                StopSignal = stopSignal,
                Labels = new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal),
                Status = ContainerStatus.Running,
                StorageMounted = true,
                CreatedAt = now,
                StartedAt = now,
            };
            store.Save(record);
            return record;
        }
        catch (Exception e) when (e is RuntimeException or StorageException or ContainerStoreException or IOException or InvalidDataException)
        {
            await UndoAsync(runtime, id, bundle, cgroupsPath).ConfigureAwait(false);
            throw new InvalidOperationException($"failed to create container {id}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Removes a container whatever its state: runtime, cgroup, storage, bundle and record. One of which nothing is
    /// left anywhere is <see cref="ContainerNotFoundException"/>: a mistyped id is told, as podman rm tells it.
    /// </summary>
    public async Task DeleteAsync(string containerId, CancellationToken cancellationToken)
    {
        ContainerId.Validate(containerId);
        var record = store.Exists(containerId) ? store.Get(containerId) : null;
        var runtime = runtimes.For(record?.Runtime ?? RuntimeCatalog.Runc);
        var runtimeKnows = await ThawAsync(runtime, containerId, cancellationToken).ConfigureAwait(false);
        try
        {
            await runtime.DeleteAsync(containerId, force: true, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeException e) when (e.Kind == RuntimeErrorKind.NotFound)
        {
            // Already gone from the runtime: go on with its cgroup, storage and the record.
            runtimeKnows = false;
        }

        if (record is null && !runtimeKnows && !storage.HasLayers(containerId) && !Directory.Exists(paths.BundleOf(containerId)))
        {
            throw new ContainerNotFoundException(containerId);
        }

        // runc removed the cgroup if it still knew the container; a record from before cgroupsPath has none of ours.
        if (record?.CgroupsPath is { } cgroupsPath && ContainerCgroup.Remove(cgroupsPath) is [var held, ..])
        {
            throw new InvalidOperationException($"failed to delete container {containerId}: cgroup {held} still holds processes");
        }

        storage.Unmount(containerId);
        storage.Remove(containerId);
        if (Directory.Exists(paths.BundleOf(containerId)))
        {
            Directory.Delete(paths.BundleOf(containerId), recursive: true);
        }

        // Not there when the monitor never wrote one (nor its directory, on a node that never started a container).
        var exitFile = paths.MonitorFilesOf(containerId).ExitFileOf(containerId);
        if (File.Exists(exitFile))
        {
            File.Delete(exitFile);
        }
        if (store.Exists(containerId))
        {
            store.Delete(containerId);
        }
    }

    // runsc (2022) panics on a forced delete of a paused container ("invalid state transition: paused =>
    // stopped") and leaves its cgroup behind; runc does not mind. Resuming first works for both.
    /// <returns>False when the runtime does not know the container (runc's forced delete of one it does not know succeeds).</returns>
    private static async Task<bool> ThawAsync(IOciRuntime runtime, string containerId, CancellationToken cancellationToken)
    {
        try
        {
            if ((await runtime.StateAsync(containerId, cancellationToken).ConfigureAwait(false)).Status == RuntimeStatus.Paused)
            {
                await runtime.ResumeAsync(containerId, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RuntimeException e)
        {
            // Unknown to the runtime, or it cannot say: the forced delete below reports what matters.
            return e.Kind != RuntimeErrorKind.NotFound;
        }
    }

    private async Task UndoAsync(IOciRuntime runtime, string id, string bundle, string cgroupsPath)
    {
        // Best effort: the original failure is what the caller needs to see.
        try
        {
            await runtime.DeleteAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RuntimeException)
        {
        }

        _ = ContainerCgroup.Remove(cgroupsPath);
        try
        {
            storage.Unmount(id);
            storage.Remove(id);
            if (Directory.Exists(bundle))
            {
                Directory.Delete(bundle, recursive: true);
            }
        }
        catch (Exception e) when (e is StorageException or IOException)
        {
        }
    }
}
