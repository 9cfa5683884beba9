using System.Text.Json;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

// eventruntime-node as published and packaged: its native front runs list and logs itself and must print exactly what
// the managed executable prints (the same sources, compiled twice), on real runc and conmon; create and delete go
// through it to the managed host. Publishing takes both cores for minutes: in the package collection, alone.
[Collection(PackageCollection.Name)]
public sealed class NativeFrontTests(PublishedNode published) : IClassFixture<PublishedNode>, IAsyncLifetime
{
    private readonly RuncSandbox sandbox = new(nodeName: "front");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public void The_front_is_native_and_the_managed_executable_is_its_host()
    {
        // A managed apphost would need its eventruntime-node.dll beside it.
        Assert.True(File.Exists(published.Front));
        Assert.False(File.Exists(Path.Combine(published.Directory, "eventruntime-node.dll")));
        Assert.True(File.Exists(published.Host));
        Assert.True(File.Exists(Path.Combine(published.Directory, "host", "eventruntime-node.dll")));
        Assert.True(File.Exists(Path.Combine(published.Directory, "host", "appsettings.json")));
    }

    [Fact]
    public async Task List_through_the_front_prints_what_the_managed_executable_prints()
    {
        var created = await NodeCli.RunAsync(sandbox,
            ["create", "web", "--rootfs", sandbox.Rootfs, "--label", "tier=front", "--label=app=web", "--", .. BusyboxRootfs.TrapsTerm], executable: published.Front);
        Assert.True(created.ExitCode == 0, created.StdErr);
        Assert.StartsWith("created web (running on runc, ", created.StdOut, StringComparison.Ordinal);
        var exited = await sandbox.StartAsync("exited", ["/bin/sh", "-c", "exit 4"]);
        await Poll.UntilAsync(() => ExitFile.TryRead(exited.ExitFile!) is not null, TimeSpan.FromSeconds(10), "exit file of exited");
        sandbox.Store.Save(sandbox.Store.Get("exited") with { ExitCode = 4, Status = Node.Containers.ContainerStatus.Stopped });

        foreach (var arguments in new[] { ["list"], ["list", "-o", "json"], new[] { "list", "--output=json" } })
        {
            var front = await NodeCli.RunAsync(sandbox, arguments, executable: published.Front);
            var managed = await NodeCli.RunAsync(sandbox, arguments);

            Assert.True(front.ExitCode == 0, front.StdErr);
            Assert.Equal(managed, front);
        }

        var rows = JsonDocument.Parse((await NodeCli.RunAsync(sandbox, ["list", "-o", "json"], executable: published.Front)).StdOut).RootElement.EnumerateArray()
            .ToDictionary(row => row.GetProperty("id").GetString()!);
        Assert.Equal(["exited", "web"], rows.Keys.Order());
        Assert.Equal("running", rows["web"].GetProperty("runtimeStatus").GetString());
        Assert.Equal("web", rows["web"].GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal(4, rows["exited"].GetProperty("exitCode").GetInt32());
        Assert.Equal("stopped", rows["exited"].GetProperty("runtimeStatus").GetString());
    }

    [Fact]
    public async Task The_front_refuses_what_the_managed_executable_refuses_with_the_same_line()
    {
        foreach (var arguments in new[] { ["list", "-o", "yaml"], ["list", "--verbose"], ["logs", "ghost"], ["logs"], new[] { "bogus" } })
        {
            var front = await NodeCli.RunAsync(sandbox, arguments, executable: published.Front);
            var managed = await NodeCli.RunAsync(sandbox, arguments);

            Assert.NotEqual(0, front.ExitCode);
            Assert.Equal(managed, front);
        }
    }

    [Fact]
    public async Task Logs_through_the_front_print_what_the_container_printed_and_delete_goes_to_the_host()
    {
        await sandbox.StartAsync("talker", BusyboxRootfs.PrintsThenTrapsTerm);

        var logs = await NodeCli.RunAsync(sandbox, ["logs", "talker"], executable: published.Front);

        Assert.True(logs.ExitCode == 0, logs.StdErr);
        Assert.Equal("hello from stdout\n", logs.StdOut);
        Assert.Equal("hello from stderr\n", logs.StdErr);
        var help = await NodeCli.RunAsync(sandbox, ["--help"], executable: published.Front);
        Assert.Contains("eventruntime-node list [-o table|json]", help.StdOut, StringComparison.Ordinal);

        var deleted = await NodeCli.RunAsync(sandbox, ["delete", "talker"], executable: published.Front);

        Assert.True(deleted.ExitCode == 0, deleted.StdErr);
        Assert.Equal("deleted talker\n", deleted.StdOut);
        Assert.False(sandbox.Store.Exists("talker"));
    }
}
