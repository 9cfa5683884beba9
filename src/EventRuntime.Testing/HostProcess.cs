using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EventRuntime.Testing;

/// <summary>
/// A simulated container's process: a shell on the host in a process group of its own, so that a signal reaches it
/// as it reaches a container's init, with the same default actions (a trap, no handler, SIGKILL).
/// </summary>
internal sealed partial class HostProcess : IDisposable
{
    private const string Loop = "while :; do sleep 1 & wait $!; done";
    private readonly Process process;

    private HostProcess(Process process) => this.process = process;

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts the shell: exiting with 0 on SIGTERM, or ignoring it.</summary>
    public static HostProcess Start(bool trapsTerm)
    {
        var script = (trapsTerm ? "trap 'exit 0' TERM; " : "trap '' TERM; ") + "echo ready; " + Loop;
        var start = new ProcessStartInfo("setsid", ["/bin/sh", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("failed to start a simulated container's shell");
        // "ready" comes after the trap is set: a TERM sent before it would be lost, as it is for a real container's init.
        if (process.StandardOutput.ReadLine() != "ready")
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the simulated container's shell (pid {process.Id}) exited before setting its TERM trap");
        }

        return new HostProcess(process);
    }

    /// <summary>Sends <paramref name="signal"/> (a number) to the process, or to its whole group when <paramref name="all"/>.</summary>
    public void Signal(int signal, bool all)
    {
        if (Kill(all ? -process.Id : process.Id, signal) != 0 && Marshal.GetLastPInvokeError() != NoSuchProcess)
        {
            throw new InvalidOperationException($"failed to signal simulated process {process.Id}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>The exit code as a container runtime reports it: the code, or 128 + the signal that ended it.</summary>
    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Signal(SigKill, all: true);
        }

        process.Dispose();
    }

    public const int SigKill = 9;
    public const int SigStop = 19;
    public const int SigCont = 18;
    private const int NoSuchProcess = 3;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
