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

    private static string? announcedVersion;

    /// <summary>Stop requests carried out to an outcome, tagged outcome (stopped|failed) and code ("" when stopped).</summary>
    public static readonly Counter<long> Stops =
        Meter.CreateCounter<long>("stops", "{stop}", "Stop requests carried out to an outcome");

    /// <summary>Seconds from a stop request to its outcome, tagged outcome (stopped|failed) and code.</summary>
    public static readonly Histogram<double> StopDuration =
        Meter.CreateHistogram<double>("stop.duration", "s", "Time from a stop request to its outcome");

    public static readonly UpDownCounter<long> StopsInFlight =
        Meter.CreateUpDownCounter<long>("stops.in_flight", "{stop}", "Stop requests being carried out");

    /// <summary>Seconds one runtime call took, tagged verb and result (ok|error kind).</summary>
    public static readonly Histogram<double> RuntimeCallDuration =
        Meter.CreateHistogram<double>("runtime.call.duration", "s", "Duration of one OCI runtime call");

    /// <summary>Commands ignored because their id was answered already for another container.</summary>
    public static readonly Counter<long> ReusedCommandIds =
        Meter.CreateCounter<long>("commands.reused_id", "{command}", "Commands whose id was answered already for another container");

    public static readonly Counter<long> OutcomesNotRecorded =
        Meter.CreateCounter<long>("outcomes.not_recorded", "{command}", "Commands answered NotRecorded: the saga database refused their outcome");

    public static readonly Counter<long> UnmountFailures =
        Meter.CreateCounter<long>("unmount.failures", "{failure}", "Root filesystems that could not be unmounted");

    /// <summary>Seconds one step of a stop took (the steps of docs/operations.md), tagged step and outcome (ok|failed).</summary>
    public static readonly Histogram<double> StopStepDuration =
        Meter.CreateHistogram<double>("stop.step.duration", "s", "Duration of one step of a stop");

    /// <summary>Commands answered InvalidCommand or Expired without touching the node, tagged reason (malformed|invalid|expired).</summary>
    public static readonly Counter<long> CommandsRefused =
        Meter.CreateCounter<long>("commands.refused", "{command}", "Commands refused before anything on the node was touched");

    /// <summary>Times the command queue's endpoint was connected again because the broker counted no consumer on it.</summary>
    public static readonly Counter<long> CommandEndpointReconnects =
        Meter.CreateCounter<long>("command_endpoint.reconnects", "{reconnect}", "Command queue endpoints connected again because the broker had no consumer on the queue");

    /// <summary>Heartbeats the agent tried to publish, tagged result (published|failed).</summary>
    public static readonly Counter<long> Heartbeats =
        Meter.CreateCounter<long>("heartbeats", "{heartbeat}", "Heartbeats the agent tried to publish");

    /// <summary>1, tagged version, once the agent has said which version it is (an info metric: join on it, alert on mixed versions).</summary>
    public static readonly ObservableGauge<int> BuildInfo = Meter.CreateObservableGauge(
        "build.info",
        () => announcedVersion is { } version ? [new Measurement<int>(1, new KeyValuePair<string, object?>("version", version))] : Array.Empty<Measurement<int>>(),
        "{build}",
        "The agent's version");

    /// <summary>
    /// Gives the counters that dashboards and alerts read a series at 0 before their first event: Prometheus'
    /// increase() over a series that appears with its first unmount failure misses that very failure.
    /// </summary>
    public static void StartCountersAtZero()
    {
        UnmountFailures.Add(0);
        OutcomesNotRecorded.Add(0);
        ReusedCommandIds.Add(0);
        CommandEndpointReconnects.Add(0);
        StopsInFlight.Add(0);
        Stops.Add(0, new KeyValuePair<string, object?>("outcome", "stopped"), new KeyValuePair<string, object?>("code", ""));
        foreach (var reason in new[] { "malformed", "invalid", "expired" })
        {
            CommandsRefused.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var result in new[] { "published", "failed" })
        {
            Heartbeats.Add(0, new KeyValuePair<string, object?>("result", result));
        }
    }

    /// <summary>Sets the version <see cref="BuildInfo"/> reports.</summary>
    public static void AnnounceVersion(string version) => announcedVersion = version;
}
