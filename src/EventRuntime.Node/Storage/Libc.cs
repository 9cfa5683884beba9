using System.Runtime.InteropServices;

namespace EventRuntime.Node.Storage;

/// <summary>The two system calls storage needs, called directly so that errno (EBUSY) is not lost in a tool's text.</summary>
internal static partial class Libc
{
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int ENOENT = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fileSystemType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unmount(string target, int flags);

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
