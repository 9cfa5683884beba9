using System.Diagnostics;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Tests.Runtime;

// The one inotify instance that wakes stops when conmon writes an exit file (it writes a temporary file and renames it).
public sealed class ExitFileWatcherTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("eventruntime-exits-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_file_renamed_into_place_wakes_its_subscriber_at_once()
    {
        var exitFile = Path.Combine(directory, "web");
        using var subscription = ExitFileWatcher.Instance.Subscribe(exitFile);
        Assert.False(subscription.Changed.IsCompleted);

        var clock = Stopwatch.StartNew();
        await File.WriteAllTextAsync(exitFile + ".tmp123", "3");
        File.Move(exitFile + ".tmp123", exitFile);

        // Far below the 50 ms the stop's wait would otherwise take before looking again.
        Assert.Same(subscription.Changed, await Task.WhenAny(subscription.Changed, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"woke after {clock.Elapsed.TotalMilliseconds:0.0} ms");
        Assert.Equal(3, ExitFile.TryRead(exitFile));
    }

    [Fact]
    public async Task Another_file_in_the_directory_does_not_wake_the_subscriber()
    {
        using var subscription = ExitFileWatcher.Instance.Subscribe(Path.Combine(directory, "web"));
        using var other = ExitFileWatcher.Instance.Subscribe(Path.Combine(directory, "db"));

        await File.WriteAllTextAsync(Path.Combine(directory, "db"), "0");

        await other.Changed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(subscription.Changed.IsCompleted);
    }
}
