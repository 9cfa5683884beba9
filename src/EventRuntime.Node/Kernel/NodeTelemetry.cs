using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventRuntime.Node.Kernel;

/// <summary>
/// The agent's own traces and metrics, next to MassTransit's (also named "MassTransit"). Static, like
/// MassTransit's: instruments cost nothing until an OpenTelemetry provider listens to them.
/// </summary>
public static class NodeTelemetry
{
    public const string Name = "EventRuntime.Node";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Seconds from a stop request to its outcome, tagged outcome (stopped|failed) and code.</summary>
    public static readonly Histogram<double> StopDuration =
        Meter.CreateHistogram<double>("eventruntime.stop.duration", "s", "Time from a stop request to its outcome");

    public static readonly UpDownCounter<long> StopsInFlight =
        Meter.CreateUpDownCounter<long>("eventruntime.stops.in_flight", "{stop}", "Stop requests being carried out");

    /// <summary>Seconds one runtime call took, tagged verb and result (ok|error kind).</summary>
    public static readonly Histogram<double> RuntimeCallDuration =
        Meter.CreateHistogram<double>("eventruntime.runtime.call.duration", "s", "Duration of one OCI runtime call");

    /// <summary>Commands ignored because their id was answered already for another container.</summary>
    public static readonly Counter<long> ReusedCommandIds =
        Meter.CreateCounter<long>("eventruntime.commands.reused_id", "{command}", "Commands whose id was answered already for another container");

    public static readonly Counter<long> OutcomesNotRecorded =
        Meter.CreateCounter<long>("eventruntime.outcomes.not_recorded", "{command}", "Commands answered NotRecorded: the saga database refused their outcome");

    public static readonly Counter<long> UnmountFailures =
        Meter.CreateCounter<long>("eventruntime.unmount.failures", "{failure}", "Root filesystems that could not be unmounted");
}
