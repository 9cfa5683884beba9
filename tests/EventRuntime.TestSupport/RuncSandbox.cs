using EventRuntime.Node.Containers;
using EventRuntime.Node.Creating;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;

namespace EventRuntime.TestSupport;

/// <summary>
/// A node's container layer on real runc (or gVisor's runsc), conmon and real overlay mounts, in a temporary
/// directory with its own runc and runsc <c>--root</c>, so tests never see each other's containers. Disposing removes every
/// container, unmounts every root and deletes the directory.
/// </summary>
public sealed class RuncSandbox : IAsyncDisposable
{
    /// <param name="runtimePath">The agent's runc binary (a stand-in that records calls, for example).</param>
    /// <param name="commandTimeout">How long one runtime call may take.</param>
    /// <param name="nodeName">The node's name (its cgroups are named after it).</param>
    /// <param name="runscPath">The agent's runsc binary.</param>
    /// <param name="createWith">The runtime <see cref="StartAsync"/> creates containers with: runc or runsc.</param>
    public RuncSandbox(
        string? runtimePath = null, TimeSpan? commandTimeout = null, string nodeName = "sandbox", string? runscPath = null,
        string createWith = RuntimeCatalog.Runc)
    {
        Root = Directory.CreateTempSubdirectory("eventruntime-test-").FullName;
        Paths = new NodePaths(Path.Combine(Root, "state"), nodeName);
        RuntimeOptions = new RuntimeOptions
        {
            Path = runtimePath ?? "runc",
            Root = Path.Combine(Root, "runc"),
            CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(10),
            Runsc = new RunscOptions { Path = runscPath ?? RuntimeCatalog.Runsc, Root = Path.Combine(Root, "runsc") },
        };
        CreateWith = createWith;
        Runtime = new RuncRuntime(RuntimeOptions);
        // Containers are always created with the real runc and runsc, even when the agent's are stand-ins.
        CreatingRuntime = new RuncRuntime(new RuntimeOptions { Root = RuntimeOptions.Root });
        var realRunsc = new RunscOptions { Root = RuntimeOptions.Runsc.Root };
        CreatingRuntimes = new RuntimeCatalog(CreatingRuntime, new RuncRuntime(realRunsc.ToRuntimeOptions(new RuntimeOptions())));
        Storage = new OverlayStorage(Paths.Storage);
        Store = new ContainerStore(Paths.StateDirectory);
        Creator = new ContainerCreator(CreatingRuntimes, Storage, Store, Paths);
        Rootfs = BusyboxRootfs.Create(Path.Combine(Root, "rootfs"));
    }

    public string Root { get; }

    public string Rootfs { get; }

    public NodePaths Paths { get; }

    public RuntimeOptions RuntimeOptions { get; }

    public IOciRuntime Runtime { get; }

    /// <summary>The real runc, with this sandbox's root.</summary>
    public IOciRuntime CreatingRuntime { get; }

    /// <summary>The real runc and runsc, with this sandbox's roots.</summary>
    public RuntimeCatalog CreatingRuntimes { get; }

    /// <summary>The runtime <see cref="StartAsync"/> creates containers with.</summary>
    public string CreateWith { get; }

    public OverlayStorage Storage { get; }

    public ContainerStore Store { get; }

    public ContainerCreator Creator { get; }

    /// <summary>
    /// Creates and starts a container. For a <see cref="BusyboxRootfs.TermTrappers"/> command it returns only once the
    /// shell has set its trap: a TERM sent before that is dropped (PID 1 has no default action), and the
    /// stop would wait out its grace period instead. Under runsc the host sees only the sandbox's process, so
    /// there it waits for the line the command prints once its trap is set (<see cref="BusyboxRootfs.TrapSet"/>).
    /// </summary>
    public async Task<ContainerRecord> StartAsync(string id, string[] command, string stopSignal = Signals.Term, IReadOnlyDictionary<string, string>? labels = null)
    {
        var record = await Creator.CreateAndStartAsync(new CreateContainerRequest(id, Rootfs, command, stopSignal, CreateWith, labels), CancellationToken.None);
        if (CreateWith == RuntimeCatalog.Runsc)
        {
            if (BusyboxRootfs.SayWhenTrapped.Any(command.SequenceEqual))
            {
                await Poll.UntilAsync(() => File.Exists(record.LogPath) && File.ReadAllText(record.LogPath).Contains(" stdout F " + BusyboxRootfs.TrapSet, StringComparison.Ordinal),
                    TimeSpan.FromSeconds(30), $"container {id} setting its TERM trap");
            }
        }
        else if ((await StateAsync(id)) is { IsStopped: false, Pid: > 0 } state)
        {
            // runc start returns before its init has exec'd the command: until then the process is runc's
            // own ("runc:[2:INIT]"), whose Go runtime catches every signal, TERM included: the trap's check below
            // would pass at once and a TERM sent then be lost (the bench's raw-runc baseline waited for ever, 2026-12-01).
            await Poll.UntilAsync(() => !CommOf(state.Pid).StartsWith("runc:", StringComparison.Ordinal), TimeSpan.FromSeconds(30),
                $"container {id} running its command");
            if (BusyboxRootfs.TermTrappers.Any(command.SequenceEqual))
            {
                await SignalHandlers.WaitUntilCaughtAsync(state.Pid, SignalHandlers.Term, TimeSpan.FromSeconds(30));
            }
        }

        return record;
    }

    private static string CommOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return ""; // exited already: it ran its command
        }
    }

    public Task<RuntimeState> StateAsync(string id) => RuntimeOf(id).StateAsync(id, CancellationToken.None);

    /// <summary>The real runtime that created <paramref name="id"/> (runc for a container without a record).</summary>
    public IOciRuntime RuntimeOf(string id) => Store.Exists(id) ? CreatingRuntimes.For(Store.Get(id).Runtime) : CreatingRuntime;

    /// <summary>Polls runc state until the container is stopped; false when <paramref name="within"/> passes first.</summary>
    public async Task<bool> WaitStoppedAsync(string id, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if ((await StateAsync(id)).IsStopped)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    /// <summary>Mount points under this sandbox that are still mounted (from /proc/self/mountinfo).</summary>
    // A test that mounted over the state directory, or removed it, still gets its mounts cleaned up below.
    private IReadOnlyList<ContainerRecord> RecordsLeft()
    {
        try
        {
            return Store.LoadAll();
        }
        catch (IOException)
        {
            return [];
        }
    }

    public IReadOnlyList<string> LeftoverMounts() =>
        MountInfo.MountPoints().Where(point => point.StartsWith(Root, StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var record in RecordsLeft())
        {
            try
            {
                await Creator.DeleteAsync(record.Id, CancellationToken.None);
            }
            catch (Exception e) when (e is RuntimeException or StorageException or IOException)
            {
                // Keep cleaning the rest; leftovers show up in LeftoverMounts below.
            }
        }

        foreach (var mountPoint in LeftoverMounts().Reverse())
        {
            _ = Libc.Unmount(mountPoint, 2 /* MNT_DETACH */);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
