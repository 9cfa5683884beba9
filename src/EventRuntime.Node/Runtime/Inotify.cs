using System.Runtime.InteropServices;

namespace EventRuntime.Node.Runtime;

/// <summary>The inotify system calls, called directly: one instance serves the whole process.</summary>
internal static partial class Inotify
{
    public const uint CloseWrite = 0x00000008; // IN_CLOSE_WRITE
    public const uint MovedTo = 0x00000080;    // IN_MOVED_TO: conmon's g_file_set_contents renames into place
    public const uint Create = 0x00000100;     // IN_CREATE
    public const uint Ignored = 0x00008000;    // IN_IGNORED: the watch is gone (its directory was removed)
    public const uint Overflow = 0x00004000;   // IN_Q_OVERFLOW: events were lost
    public const int CloseOnExec = 0x80000;    // IN_CLOEXEC
    public const int EINTR = 4;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int Init(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddWatch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
