using System.Text.Json;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.Node.Tests.CommandLine;

// The node executable's list and logs verbs, as a process, on real runc and conmon.
public sealed class ContainerVerbTests : IAsyncLifetime
{
    private readonly RuncSandbox sandbox = new(nodeName: "verbs");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task List_as_json_shows_the_exit_code_the_monitor_and_the_log()
    {
        var exited = await sandbox.StartAsync("exited", ["/bin/sh", "-c", "exit 4"]);
        await sandbox.StartAsync("running", BusyboxRootfs.TrapsTerm);
        await Poll.UntilAsync(() => ExitFile.TryRead(exited.ExitFile!) is not null, TimeSpan.FromSeconds(10), "exit file of exited");
        // What a stop records; list shows the record's exit code.
        sandbox.Store.Save(sandbox.Store.Get("exited") with { ExitCode = 4, Status = Node.Containers.ContainerStatus.Stopped });

        var result = await NodeCli.RunAsync(sandbox, ["list", "-o", "json"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        var rows = JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().ToDictionary(row => row.GetProperty("id").GetString()!);
        Assert.Equal(["exited", "running"], rows.Keys.Order());
        Assert.Equal(4, rows["exited"].GetProperty("exitCode").GetInt32());
        Assert.Equal("stopped", rows["exited"].GetProperty("runtimeStatus").GetString());
        Assert.Equal("exited", rows["exited"].GetProperty("monitor").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, rows["running"].GetProperty("exitCode").ValueKind);
        Assert.Equal("running", rows["running"].GetProperty("monitor").GetProperty("state").GetString());
        Assert.Equal(sandbox.Store.Get("running").Monitor!.Pid, rows["running"].GetProperty("monitor").GetProperty("pid").GetInt32());
        Assert.Equal(sandbox.Paths.LogOf("running"), rows["running"].GetProperty("logPath").GetString());
        Assert.Equal(sandbox.Paths.CgroupOf("running"), rows["running"].GetProperty("cgroupsPath").GetString());
    }

    [Fact]
    public async Task Create_with_labels_records_them_and_list_shows_them()
    {
        var created = await NodeCli.RunAsync(sandbox,
            ["create", "labelled", "--rootfs", sandbox.Rootfs, "--label", "tier=front", "--label=app=web", "--", .. BusyboxRootfs.TrapsTerm]);
        Assert.True(created.ExitCode == 0, created.StdErr);

        var json = await NodeCli.RunAsync(sandbox, ["list", "-o", "json"]);
        var table = await NodeCli.RunAsync(sandbox, ["list"]);

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }, sandbox.Store.Get("labelled").Labels);
        var labels = JsonDocument.Parse(json.StdOut).RootElement.EnumerateArray().Single().GetProperty("labels");
        Assert.Equal([("app", "web"), ("tier", "front")], labels.EnumerateObject().Select(label => (label.Name, label.Value.GetString())));
        Assert.EndsWith("LABELS", table.StdOut.Split('\n')[0], StringComparison.Ordinal);
        Assert.EndsWith("SIGTERM     app=web,tier=front", table.StdOut.Split('\n')[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app", "label \"app\" is not key=value")]
    [InlineData("app=we b", "label value \"we b\" is invalid")]
    [InlineData("-app=web", "label key \"-app\" is invalid")]
    public async Task Create_refuses_a_label_that_is_not_one_before_touching_anything(string label, string message)
    {
        var created = await NodeCli.RunAsync(sandbox, ["create", "badlabel", "--rootfs", sandbox.Rootfs, "--label", label, "--", .. BusyboxRootfs.TrapsTerm]);

        Assert.Equal(2, created.ExitCode);
        Assert.Contains(message, created.StdErr, StringComparison.Ordinal);
        Assert.False(sandbox.Store.Exists("badlabel"));
    }

    [Fact]
    public async Task List_refuses_an_unknown_output_format()
    {
        var result = await NodeCli.RunAsync(sandbox, ["list", "-o", "yaml"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("list [-o table|json]", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_prints_what_the_container_printed()
    {
        await sandbox.StartAsync("talker", BusyboxRootfs.PrintsThenTrapsTerm);

        var result = await NodeCli.RunAsync(sandbox, ["logs", "talker"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal("hello from stdout\n", result.StdOut);
        Assert.Equal("hello from stderr\n", result.StdErr);
    }

    [Fact]
    public async Task Logs_follow_prints_new_lines_until_the_container_exits()
    {
        await sandbox.StartAsync("counter", ["/bin/sh", "-c", "for i in 1 2 3; do echo line $i; sleep 1; done"]);

        // Started while the container still prints: --follow must wait for the later lines and end with it.
        var result = await NodeCli.RunAsync(sandbox, ["logs", "counter", "--follow"], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal("line 1\nline 2\nline 3\n", result.StdOut);
    }

    [Fact]
    public async Task Logs_of_an_unknown_container_fail_with_one_line()
    {
        var result = await NodeCli.RunAsync(sandbox, ["logs", "ghost"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("eventruntime-node logs: container ghost is not known to this node\n", result.StdErr);
    }

    [Fact]
    public async Task Delete_of_an_unknown_id_says_so_and_exits_1()
    {
        var result = await NodeCli.RunAsync(sandbox, ["delete", "ghost"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("eventruntime-node delete: container ghost is not known to this node\n", result.StdErr);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public async Task Create_with_runtime_runsc_runs_the_container_in_gVisor_and_delete_removes_it()
    {
        var created = await NodeCli.RunAsync(sandbox,
            ["create", "gv", "--rootfs", sandbox.Rootfs, "--runtime", "runsc", "--", "/bin/sh", "-c", "echo inside gvisor; sleep 100000"]);
        Assert.True(created.ExitCode == 0, created.StdErr);
        Assert.StartsWith("created gv (running on runsc, ", created.StdOut, StringComparison.Ordinal);

        var listed = JsonDocument.Parse((await NodeCli.RunAsync(sandbox, ["list", "-o", "json"])).StdOut).RootElement.EnumerateArray().Single();
        Assert.Equal("runsc", listed.GetProperty("runtime").GetString());
        Assert.Equal("running", listed.GetProperty("runtimeStatus").GetString());
        Assert.Equal("running", listed.GetProperty("monitor").GetProperty("state").GetString());
        await Poll.UntilAsync(() => File.ReadAllText(sandbox.Paths.LogOf("gv")).Contains("stdout F inside gvisor", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "gv's output");
        // runsc's own state: the sandbox knows it, runc does not.
        Assert.Equal(RuntimeStatus.Running, (await sandbox.CreatingRuntimes.For(RuntimeCatalog.Runsc).StateAsync("gv", CancellationToken.None)).Status);
        await Assert.ThrowsAsync<RuntimeException>(() => sandbox.CreatingRuntime.StateAsync("gv", CancellationToken.None));

        var deleted = await NodeCli.RunAsync(sandbox, ["delete", "gv"]);

        Assert.True(deleted.ExitCode == 0, deleted.StdErr);
        Assert.False(sandbox.Store.Exists("gv"));
        Assert.Empty(ContainerCgroup.Existing(sandbox.Paths.CgroupOf("gv")));
    }
}
