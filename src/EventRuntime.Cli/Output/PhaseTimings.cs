using System.Diagnostics;
using System.Globalization;
using EventRuntime.Client;

namespace EventRuntime.Cli.Output;

/// <summary>
/// With <c>ERT_TIMINGS=1</c>, one line on stderr at the end of <c>ert stop</c> saying where the process spent its time:
/// process start (exec to the first line of ert), connect, topology, send, outcome; and the process's CPU time, with
/// how much of it went to the JIT. The bench reads it.
/// </summary>
internal sealed class PhaseTimings
{
    public const string EnvironmentVariable = "ERT_TIMINGS";

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly TimeSpan processStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
    private TimeSpan? firstSent;
    private TimeSpan? lastDone;

    /// <summary>Since this was created, which is ert's first work after the command line is parsed.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    public static bool Wanted => Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    public void OnProgress(StopProgress progress)
    {
        if (progress.Phase == StopPhase.Sent)
        {
            firstSent ??= clock.Elapsed;
        }
        else
        {
            lastDone = clock.Elapsed;
        }
    }

    public void Write(TextWriter stderr, ConnectionTimings? connection, TimeSpan connectedAt)
    {
        var connect = connection?.Connect ?? TimeSpan.Zero;
        var topology = connection?.Topology ?? TimeSpan.Zero;
        var send = (firstSent ?? connectedAt) - connectedAt;
        var outcome = (lastDone ?? clock.Elapsed) - (firstSent ?? connectedAt);
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ert: timings process-start={Ms(processStart)} setup={Ms(connectedAt - connect - topology)} connect={Ms(connect)} topology={Ms(topology)} send={Ms(send)} outcome={Ms(outcome)} total={Ms(processStart + clock.Elapsed)} " +
            // Not phases: the CPU the process used, and the part of it spent compiling what ReadyToRun did not precompile.
            $"cpu={Ms(Process.GetCurrentProcess().TotalProcessorTime)} jit={Ms(System.Runtime.JitInfo.GetCompilationTime())} jitted-methods={System.Runtime.JitInfo.GetCompiledMethodCount()}"));
    }

    private static string Ms(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
