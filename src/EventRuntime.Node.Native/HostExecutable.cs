using System.Runtime.InteropServices;

namespace EventRuntime.Node.Native;

/// <summary>
/// The managed eventruntime-node in <c>host/</c> beside this executable, which runs the verbs that need the node's host.
/// This process becomes it (execv), keeping its pid, environment, arguments and standard streams: systemd's
/// <c>Type=notify</c> unit starts <c>eventruntime-node agent</c> here, and its main process must be the agent.
/// </summary>
internal static partial class HostExecutable
{
    private const string Name = "eventruntime-node";

    /// <summary>The managed executable's directory, where its appsettings files are too.</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "host");

    /// <summary>Returns only when the host could not be executed: 1, with one line on stderr.</summary>
    public static int Replace(string[] args)
    {
        var path = Path.Combine(Directory, Name);
        string?[] argv = [path, .. args, null];
        Execv(path, argv);
        var errno = Marshal.GetLastPInvokeError();
        Console.Error.WriteLine($"eventruntime-node: cannot run the node's host {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        return 1;
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, string?[] argv);
}
