using Prometheus;

namespace EventRuntime.Node.Operations;

/// <summary>
/// How prometheus-net turns .NET Meters into /metrics: every meter (the agent's, MassTransit's, the runtime's
/// "System.Runtime"), named <c>meter_instrument</c> (<c>eventruntime_node_stop_duration</c>). Process-wide, as
/// prometheus-net's default registry is: the first agent of a process with an endpoint starts it.
/// </summary>
public static class PrometheusMeters
{
    /// <summary>Seconds from 5 ms (a stop is tens of ms) to 10 minutes (Stop:MaxTimeoutSeconds' default).</summary>
    public static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private static readonly Lazy<IDisposable> Listening = new(() =>
    {
        // prometheus-net's own adapter starts with the first scrape and misses what was measured before it
        // (a stop in the agent's first seconds, the counters' zeros): this one listens from the agent's start.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true });
        return MeterAdapter.StartListening(new MeterAdapterOptions
        {
            // prometheus-net drops a series after 5 idle minutes by default: a node that stops nothing for an hour
            // would lose its stop counters, and rate() over the gap would read a reset. One day is its maximum.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? SecondsBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
        });
    });

    /// <summary>Starts publishing the process's meters to prometheus-net's default registry (once per process).</summary>
    public static void Listen() => _ = Listening.Value;
}
