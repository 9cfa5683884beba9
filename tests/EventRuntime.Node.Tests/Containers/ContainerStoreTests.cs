using EventRuntime.Node.Containers;

namespace EventRuntime.Node.Tests.Containers;

public sealed class ContainerStoreTests : IDisposable
{
    private readonly string stateDirectory = Directory.CreateTempSubdirectory("eventruntime-store-").FullName;

    public void Dispose() => Directory.Delete(stateDirectory, recursive: true);

    private static ContainerRecord RecordOf(string id, ContainerStatus status = ContainerStatus.Running) => new()
    {
        Id = id,
        Bundle = $"/b/{id}",
        RootfsLower = "/lower",
        RootfsMount = $"/m/{id}",
        Runtime = "runc",
        StopSignal = "SIGQUIT",
        Status = status,
        StorageMounted = true,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_saved_record_reads_back_whole()
    {
        var store = new ContainerStore(stateDirectory);
        store.Save(RecordOf("web") with { ExitCode = 137 });

        var read = store.Get("web");

        Assert.Equal("SIGQUIT", read.StopSignal);
        Assert.Equal(ContainerStatus.Running, read.Status);
        Assert.Equal(137, read.ExitCode);
        Assert.Equal(ContainerRecord.CurrentFormatVersion, read.FormatVersion);
        Assert.NotEqual(default, read.UpdatedAt);
    }

    [Fact]
    public void Reload_finds_every_container()
    {
        var writer = new ContainerStore(stateDirectory);
        foreach (var id in new[] { "a", "b", "c" })
        {
            writer.Save(RecordOf(id));
        }

        var reloaded = new ContainerStore(stateDirectory).LoadAll();

        Assert.Equal(["a", "b", "c"], reloaded.Select(record => record.Id));
    }

    [Fact]
    public void A_container_saved_by_another_store_after_start_is_found()
    {
        var agent = new ContainerStore(stateDirectory);
        Assert.False(agent.Exists("late"));

        new ContainerStore(stateDirectory).Save(RecordOf("late"));

        Assert.Equal("late", agent.Get("late").Id);
    }

    [Fact]
    public void A_crash_between_temp_write_and_rename_leaves_the_old_record()
    {
        var store = new ContainerStore(stateDirectory);
        store.Save(RecordOf("web"));
        var containers = Path.Combine(stateDirectory, "containers");
        // What a crash after writing half of the temp file and before the rename leaves behind.
        File.WriteAllText(Path.Combine(containers, "web.json.tmp-0123abcd"), "{\"id\":\"web\",\"status\":\"Stop");

        var reloaded = new ContainerStore(stateDirectory).LoadAll();

        var web = Assert.Single(reloaded);
        Assert.Equal(ContainerStatus.Running, web.Status);
        Assert.Equal(["web.json"], Directory.GetFiles(containers).Select(Path.GetFileName));
    }

    [Fact]
    public void An_overwrite_replaces_the_record_atomically()
    {
        var store = new ContainerStore(stateDirectory);
        store.Save(RecordOf("web"));

        store.Save(RecordOf("web", ContainerStatus.Stopped) with { StorageMounted = false });

        var web = store.Get("web");
        Assert.Equal(ContainerStatus.Stopped, web.Status);
        Assert.False(web.StorageMounted);
        Assert.Single(Directory.GetFiles(Path.Combine(stateDirectory, "containers")));
    }

    [Fact]
    public void An_unknown_container_is_a_typed_not_found()
    {
        var error = Assert.Throws<ContainerNotFoundException>(() => new ContainerStore(stateDirectory).Get("ghost"));

        Assert.Equal("ghost", error.ContainerId);
    }

    [Fact]
    public void A_record_from_a_newer_format_is_refused_with_a_clear_error()
    {
        var store = new ContainerStore(stateDirectory);
        File.WriteAllText(Path.Combine(stateDirectory, "containers", "future.json"),
            """{"formatVersion":99,"id":"future","bundle":"/b","rootfsLower":"/l","rootfsMount":"/m","runtime":"runc"}""");

        var error = Assert.Throws<ContainerStoreException>(() => store.Get("future"));

        Assert.Contains("format version 99 is newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_record_is_refused_with_its_path()
    {
        var store = new ContainerStore(stateDirectory);
        File.WriteAllText(Path.Combine(stateDirectory, "containers", "broken.json"), "{not json");

        var error = Assert.Throws<ContainerStoreException>(() => store.Get("broken"));

        Assert.Contains("broken.json", error.Message, StringComparison.Ordinal);
    }
}
