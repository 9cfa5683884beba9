using System.Runtime.InteropServices;
using System.Text;

namespace EventRuntime.Node.Runtime;

/// <summary>
/// Tells a stop the moment conmon writes a container's exit file, instead of polling /proc every few
/// milliseconds. One inotify instance and one reading thread serve the whole process, with one watch per
/// exit directory: the kernel allows 128 inotify instances per user, and a node stops hundreds of
/// containers at once (and a test process hosts many nodes).
/// </summary>
public sealed class ExitFileWatcher
{
    private const uint Events = Inotify.CloseWrite | Inotify.MovedTo | Inotify.Create;

    private static readonly Lazy<ExitFileWatcher> Shared = new(() => new ExitFileWatcher(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly int fd;
    private readonly object gate = new();
    private readonly Dictionary<int, string> directoryOfWatch = [];
    private readonly Dictionary<string, int> watchOfDirectory = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource>> waiters = new(StringComparer.Ordinal);

    private ExitFileWatcher()
    {
        fd = Inotify.Init(Inotify.CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"inotify_init1: {Inotify.Describe(Marshal.GetLastPInvokeError())}");
        }

        new Thread(ReadEvents) { IsBackground = true, Name = "exit-file-watcher" }.Start();
    }

    public static ExitFileWatcher Instance => Shared.Value;

    /// <summary>
    /// A task that completes at the next write, creation or rename of <paramref name="path"/> (or when
    /// inotify lost events). Subscribe first, then look at the file: a write between the two is not missed.
    /// Dispose the subscription when done waiting.
    /// </summary>
    public Subscription Subscribe(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var key = Path.GetFullPath(path);
        var change = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (!watchOfDirectory.ContainsKey(directory))
            {
                var watch = Inotify.AddWatch(fd, directory, Events);
                if (watch < 0)
                {
                    throw new IOException($"inotify_add_watch {directory}: {Inotify.Describe(Marshal.GetLastPInvokeError())}");
                }

                watchOfDirectory[directory] = watch;
                directoryOfWatch[watch] = directory;
            }

            if (!waiters.TryGetValue(key, out var list))
            {
                waiters[key] = list = [];
            }

            list.Add(change);
        }

        return new Subscription(this, key, change);
    }

    private void Unsubscribe(string key, TaskCompletionSource change)
    {
        lock (gate)
        {
            if (waiters.TryGetValue(key, out var list) && list.Remove(change) && list.Count == 0)
            {
                waiters.Remove(key);
            }
        }
    }

    private unsafe void ReadEvents()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            nint read;
            fixed (byte* start = buffer)
            {
                read = Inotify.Read(fd, start, (nuint)buffer.Length);
            }

            if (read < 0)
            {
                if (Marshal.GetLastPInvokeError() == Inotify.EINTR)
                {
                    continue;
                }

                // Nothing more will come: wake every waiter, whose own checks and deadlines take over.
                WakeAll();
                return;
            }

            Dispatch(buffer.AsSpan(0, (int)read));
        }
    }

    // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
    private void Dispatch(ReadOnlySpan<byte> events)
    {
        while (events.Length >= 16)
        {
            var watch = BitConverter.ToInt32(events[..4]);
            var mask = BitConverter.ToUInt32(events[4..8]);
            var nameLength = (int)BitConverter.ToUInt32(events[12..16]);
            var name = Encoding.UTF8.GetString(events.Slice(16, nameLength)).TrimEnd('\0');
            events = events[(16 + nameLength)..];

            if ((mask & Inotify.Overflow) != 0)
            {
                WakeAll();
                continue;
            }

            lock (gate)
            {
                if (!directoryOfWatch.TryGetValue(watch, out var directory))
                {
                    continue;
                }

                if ((mask & Inotify.Ignored) != 0)
                {
                    // The directory is gone, and the kernel dropped its watch: a later Subscribe adds a new one.
                    directoryOfWatch.Remove(watch);
                    watchOfDirectory.Remove(directory);
                    WakeUnder(directory);
                    continue;
                }

                if (waiters.Remove(Path.Combine(directory, name), out var list))
                {
                    list.ForEach(change => change.TrySetResult());
                }
            }
        }
    }

    private void WakeAll()
    {
        lock (gate)
        {
            foreach (var change in waiters.Values.SelectMany(list => list))
            {
                change.TrySetResult();
            }

            waiters.Clear();
        }
    }

    private void WakeUnder(string directory)
    {
        foreach (var key in waiters.Keys.Where(key => Path.GetDirectoryName(key) == directory).ToList())
        {
            waiters.Remove(key, out var list);
            list!.ForEach(change => change.TrySetResult());
        }
    }

    /// <summary>One wait for one file's next change.</summary>
    public sealed class Subscription(ExitFileWatcher watcher, string key, TaskCompletionSource change) : IDisposable
    {
        public Task Changed => change.Task;

        public void Dispose() => watcher.Unsubscribe(key, change);
    }
}
