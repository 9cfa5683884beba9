using System.Diagnostics;
using EventRuntime.TestSupport;

namespace EventRuntime.Bench;

/// <summary>
/// podman as the baseline: an image imported from the same busybox root the agent's containers use, and containers
/// run with runc that trap TERM, each timed from the moment its trap is set. Dispose to remove the image.
/// </summary>
internal sealed class PodmanBaseline : IAsyncDisposable
{
    private const string Image = "localhost/eventruntime-bench-busybox:latest";
    private readonly string scratch;

    private PodmanBaseline(string scratch) => this.scratch = scratch;

    /// <summary>Why podman cannot be the baseline here, or null when it can.</summary>
    public static string? Missing => Shell.Exists("podman") ? null : "podman is not installed (apt-get install podman; infra/bench/run.sh installs it)";

    public static async Task<PodmanBaseline> StartAsync()
    {
        var scratch = Directory.CreateTempSubdirectory("eventruntime-bench-podman-").FullName;
        var rootfs = BusyboxRootfs.Create(Path.Combine(scratch, "rootfs"));
        var tar = Path.Combine(scratch, "rootfs.tar");
        await Shell.RunAsync("tar", "-C", rootfs, "-cf", tar, ".");
        await Shell.RunAsync("podman", "import", tar, Image);
        return new PodmanBaseline(scratch);
    }

    /// <summary>Runs a TERM-trapping container named <paramref name="name"/>, times <c>podman stop -t 10</c> as a whole process, and removes it.</summary>
    public static async Task<TimeSpan> StopOneAsync(string name)
    {
        await Shell.RunAsync("podman", ["run", "-d", "--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
            "--network", "none", "--name", name, Image, .. BusyboxRootfs.TrapsTerm]);
        try
        {
            // As for the other paths: timed from a container whose trap is set (see RuncSandbox.StartAsync).
            var pid = int.Parse((await Shell.RunAsync("podman", "inspect", "--format", "{{.State.Pid}}", name)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await SignalHandlers.WaitUntilCaughtAsync(pid, SignalHandlers.Term, TimeSpan.FromSeconds(10));
            var clock = Stopwatch.StartNew();
            await Shell.RunAsync("podman", "stop", "-t", "10", name);
            return clock.Elapsed;
        }
        finally
        {
            await Shell.RunAsync("podman", "rm", "-f", name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Shell.RunAsync("podman", "rmi", "-f", Image);
        }
        catch (InvalidOperationException)
        {
            // Removing the image is best effort; the next run imports it again.
        }

        Directory.Delete(scratch, recursive: true);
    }
}
