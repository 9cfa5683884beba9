using EventRuntime.Node.Containers;
using EventRuntime.Node.Creating;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;

namespace EventRuntime.Node.Tests.Containers;

// Every place that turns a container id into a path or a runtime call refuses an id that is not one,
// before it touches the disk or starts a process.
public sealed class HostileIdTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("eventruntime-hostile-").FullName;
    private readonly NodePaths paths;
    private readonly ContainerStore store;
    private readonly OverlayStorage storage;
    private readonly string runtimeLog;
    private readonly ContainerCreator creator;

    public HostileIdTests()
    {
        paths = new NodePaths(Path.Combine(root, "state"), "hostile");
        store = new ContainerStore(paths.StateDirectory);
        storage = new OverlayStorage(paths.Storage);
        runtimeLog = Path.Combine(root, "runtime-called");
        var script = Path.Combine(root, "runc");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$*\" >> '{runtimeLog}'\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = new RuncRuntime(new RuntimeOptions { Path = script, Root = Path.Combine(root, "runc-root") });
        creator = new ContainerCreator(new RuntimeCatalog(runtime, runtime), storage, store, paths);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    public static TheoryData<string> HostileIds => new() { "../escape", "../../etc", "a/b", "--root=/", "-x", ".", "..", "", "fz-ü" };

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void The_store_refuses_a_hostile_id(string id)
    {
        Assert.Throws<ArgumentException>(() => store.Get(id));
        Assert.Throws<ArgumentException>(() => store.Save(new ContainerRecord { Id = id, Bundle = "/b", RootfsLower = "/l", RootfsMount = "/m", Runtime = "runc" }));
        Assert.Throws<ArgumentException>(() => store.Delete(id));
        Assert.False(store.Exists(id));
        AssertNothingEscaped();
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void Storage_and_bundle_paths_refuse_a_hostile_id(string id)
    {
        Directory.CreateDirectory(Path.Combine(root, "lower"));
        Assert.Throws<ArgumentException>(() => storage.Mount(id, Path.Combine(root, "lower")));
        Assert.Throws<ArgumentException>(() => storage.Unmount(id));
        Assert.Throws<ArgumentException>(() => storage.Remove(id));
        Assert.Throws<ArgumentException>(() => storage.IsMounted(id));
        Assert.Throws<ArgumentException>(() => paths.BundleOf(id));
        Assert.Throws<ArgumentException>(() => paths.LogOf(id));
        AssertNothingEscaped();
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task Create_and_delete_refuse_a_hostile_id_before_any_runtime_call(string id)
    {
        Directory.CreateDirectory(Path.Combine(root, "lower"));
        await Assert.ThrowsAsync<ArgumentException>(() => creator.CreateAndStartAsync(new CreateContainerRequest(id, Path.Combine(root, "lower"), ["/bin/true"]), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => creator.DeleteAsync(id, CancellationToken.None));
        Assert.False(File.Exists(runtimeLog), "the runtime was called");
        AssertNothingEscaped();
    }

    [Fact]
    public void A_record_whose_id_differs_from_its_file_name_is_refused()
    {
        // "web.json" claiming to be "db": a stop of web must not act on db.
        File.WriteAllText(Path.Combine(paths.StateDirectory, "containers", "web.json"),
            """{"formatVersion":1,"id":"db","bundle":"/b","rootfsLower":"/l","rootfsMount":"/m","runtime":"runc"}""");

        var error = Assert.Throws<ContainerStoreException>(() => store.Get("web"));

        Assert.Contains("it records container db, not web", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_with_a_hostile_id_inside_is_refused_by_list()
    {
        File.WriteAllText(Path.Combine(paths.StateDirectory, "containers", "web.json"),
            """{"formatVersion":1,"id":"--root=/","bundle":"/b","rootfsLower":"/l","rootfsMount":"/m","runtime":"runc"}""");

        var error = Assert.Throws<ContainerStoreException>(() => store.LoadAll());

        Assert.Contains("container id \"--root=/\" is invalid", error.Message, StringComparison.Ordinal);
    }

    // Nothing was created beside the state directory or its containers directory, where "../escape" would point.
    private void AssertNothingEscaped()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).Except(["lower", "runc", "state"]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(paths.StateDirectory).Select(Path.GetFileName).Except(["containers"]));
    }
}
