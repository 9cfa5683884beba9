using EventRuntime.Node.Containers;
using EventRuntime.Node.Creating;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.Node.Tests.Containers;

public sealed class ContainerCreatorTests : IAsyncLifetime
{
    private readonly RuncSandbox sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task Create_mounts_storage_starts_the_container_and_records_it()
    {
        var record = await sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm, stopSignal: "QUIT");

        Assert.Equal(RuntimeStatus.Running, (await sandbox.StateAsync("web")).Status);
        Assert.True(sandbox.Storage.IsMounted("web"));
        var stored = sandbox.Store.Get("web");
        // Labels are a dictionary, which a record compares by reference: compared by content, the rest as a whole.
        Assert.Equal(record, stored with { UpdatedAt = record.UpdatedAt, Labels = record.Labels });
        Assert.Equal(record.Labels, stored.Labels);
        Assert.Equal("SIGQUIT", stored.StopSignal);
        Assert.Equal(ContainerStatus.Running, stored.Status);
        Assert.Equal(sandbox.Storage.MountPointOf("web"), stored.RootfsMount);
    }

    [Fact]
    public async Task Create_refuses_an_invalid_id_before_touching_anything()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.StartAsync("../escape", BusyboxRootfs.TrapsTerm));

        Assert.Empty(sandbox.Store.LoadAll());
        Assert.Empty(sandbox.LeftoverMounts());
        Assert.False(Directory.Exists(Path.Combine(sandbox.Paths.StateDirectory, "bundles")));
    }

    [Fact]
    public async Task Create_refuses_an_existing_id()
    {
        await sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_create_undoes_the_mount_and_says_why()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sandbox.StartAsync("bad", ["/bin/no-such-program"]));

        Assert.StartsWith("failed to create container bad: runc ", error.Message, StringComparison.Ordinal);
        Assert.False(sandbox.Storage.IsMounted("bad"));
        Assert.False(sandbox.Store.Exists("bad"));
        await Assert.ThrowsAsync<RuntimeException>(() => sandbox.StateAsync("bad"));
    }

    [Fact]
    public async Task Delete_removes_runtime_state_mount_and_record()
    {
        await sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);

        await sandbox.Creator.DeleteAsync("web", CancellationToken.None);

        Assert.False(sandbox.Store.Exists("web"));
        Assert.False(sandbox.Storage.IsMounted("web"));
        var error = await Assert.ThrowsAsync<RuntimeException>(() => sandbox.StateAsync("web"));
        Assert.Equal(RuntimeErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_container_runs_in_a_cgroup_of_its_node_and_delete_removes_it()
    {
        var record = await sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var pid = (await sandbox.StateAsync("web")).Pid;

        Assert.Equal(sandbox.Paths.CgroupOf("web"), record.CgroupsPath);
        Assert.StartsWith("/eventruntime/sandbox-", record.CgroupsPath, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllLines($"/proc/{pid}/cgroup"), line => line.EndsWith(":" + record.CgroupsPath, StringComparison.Ordinal));
        Assert.NotEmpty(ContainerCgroup.Existing(record.CgroupsPath!));

        await sandbox.Creator.DeleteAsync("web", CancellationToken.None);

        Assert.Empty(ContainerCgroup.Existing(record.CgroupsPath!));
        Assert.Empty(ContainerCgroup.Existing(sandbox.Paths.NodeCgroup));
    }

    [Fact]
    public async Task Equal_ids_of_two_sandboxes_with_one_node_name_never_share_a_cgroup()
    {
        // The demo's defect: a paused "frozen" of one node made runc refuse "frozen" on another
        // ("container's cgroup unexpectedly frozen"), because both got the cgroup named "frozen".
        await using var other = new RuncSandbox();
        var first = await sandbox.StartAsync("frozen", BusyboxRootfs.TrapsTerm);
        await sandbox.CreatingRuntime.PauseAsync("frozen", CancellationToken.None);

        var second = await other.StartAsync("frozen", BusyboxRootfs.TrapsTerm);

        Assert.NotEqual(first.CgroupsPath, second.CgroupsPath);
        Assert.Equal(RuntimeStatus.Running, (await other.StateAsync("frozen")).Status);
        Assert.Equal(RuntimeStatus.Paused, (await sandbox.StateAsync("frozen")).Status);
        await other.CreatingRuntime.KillAsync("frozen", Signals.Kill, all: true, CancellationToken.None);
        Assert.True(await other.WaitStoppedAsync("frozen", TimeSpan.FromSeconds(10)));
        Assert.Equal(RuntimeStatus.Paused, (await sandbox.StateAsync("frozen")).Status);
    }

    [Fact]
    public async Task A_paused_runsc_container_is_deleted_with_its_cgroup()
    {
        await using var runsc = new RuncSandbox(nodeName: "gvisor", createWith: RuntimeCatalog.Runsc);
        var record = await runsc.StartAsync("sandboxed", BusyboxRootfs.TrapsTerm);
        await runsc.RuntimeOf("sandboxed").PauseAsync("sandboxed", CancellationToken.None);

        Assert.Equal(RuntimeCatalog.Runsc, record.Runtime);
        Assert.Equal(RuntimeStatus.Paused, (await runsc.StateAsync("sandboxed")).Status);

        await runsc.Creator.DeleteAsync("sandboxed", CancellationToken.None);

        Assert.False(runsc.Store.Exists("sandboxed"));
        Assert.Empty(ContainerCgroup.Existing(record.CgroupsPath!));
        Assert.Empty(ContainerCgroup.Existing(runsc.Paths.NodeCgroup));
        var error = await Assert.ThrowsAsync<RuntimeException>(() => runsc.CreatingRuntimes.For(RuntimeCatalog.Runsc).StateAsync("sandboxed", CancellationToken.None));
        Assert.Equal(RuntimeErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Create_refuses_an_unknown_runtime_before_touching_anything()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            sandbox.Creator.CreateAndStartAsync(new CreateContainerRequest("web", sandbox.Rootfs, BusyboxRootfs.TrapsTerm, Runtime: "crun"), CancellationToken.None));

        Assert.StartsWith("container web: unknown runtime crun; one of runc, runsc", error.Message, StringComparison.Ordinal);
        Assert.Empty(sandbox.LeftoverMounts());
    }
}
