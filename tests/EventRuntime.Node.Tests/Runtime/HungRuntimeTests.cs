using System.Diagnostics;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Tests.Runtime;

// A script stands in for runc and never answers; the call must be cut off, and its child killed too.
public sealed class HungRuntimeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("eventruntime-hung-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_runtime_that_hangs_is_killed_at_its_timeout()
    {
        var marker = Path.Combine(directory, "child.pid");
        var script = Path.Combine(directory, "hung-runc");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nsleep 300 &\necho $! > {marker}\nwait\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = new RuncRuntime(new RuntimeOptions { Path = script, Root = directory, CommandTimeout = TimeSpan.FromMilliseconds(700) });

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RuntimeException>(() => runtime.StateAsync("any", CancellationToken.None));
        clock.Stop();

        Assert.Equal(RuntimeErrorKind.TimedOut, error.Kind);
        Assert.Contains("did not exit within 0.7 s", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        var childPid = int.Parse((await File.ReadAllTextAsync(marker)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ExitsWithinAsync(childPid, TimeSpan.FromSeconds(10)), $"child {childPid} of the hung runtime is still alive");
    }

    [Fact]
    public async Task A_missing_runtime_binary_is_a_clear_failure()
    {
        var runtime = new RuncRuntime(new RuntimeOptions { Path = Path.Combine(directory, "no-such-runc"), Root = directory });

        var error = await Assert.ThrowsAsync<RuntimeException>(() => runtime.StateAsync("any", CancellationToken.None));

        Assert.Equal(RuntimeErrorKind.Failed, error.Kind);
        Assert.Contains("cannot execute", error.Message, StringComparison.Ordinal);
    }

    // SIGKILL is delivered asynchronously: give the kernel a moment to tear the process down.
    private static async Task<bool> ExitsWithinAsync(int pid, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
