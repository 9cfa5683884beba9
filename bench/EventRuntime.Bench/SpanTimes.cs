using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventRuntime.Bench;

/// <summary>
/// Where a stop's time goes, from the agent's own spans: the stop worker ("stop X") and each runtime call
/// ("runc state", "runc kill"). What the end-to-end latency has beyond the worker's span is the bus and the saga.
/// </summary>
internal sealed class SpanTimes : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<(string Name, double Milliseconds)> ended = new();

    public SpanTimes(string source)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Clear() => ended.Clear();

    private void Record(Activity activity)
    {
        if (activity.DisplayName.StartsWith("stop ", StringComparison.Ordinal))
        {
            ended.Enqueue(("stop worker", activity.Duration.TotalMilliseconds));
        }
        else if (activity.ParentSpanId != default)
        {
            // A runtime call inside a stop; the calls that create the next container have no parent.
            ended.Enqueue((activity.DisplayName, activity.Duration.TotalMilliseconds));
        }
    }

    public string Breakdown(int stops, Samples endToEnd)
    {
        var byName = ended.GroupBy(e => e.Name).ToDictionary(g => g.Key, g => (Count: g.Count(), Total: g.Sum(e => e.Milliseconds)));
        var worker = byName.TryGetValue("stop worker", out var w) ? w.Total / stops : double.NaN;
        var calls = byName.Where(p => p.Key != "stop worker")
            .OrderByDescending(p => p.Value.Total)
            .Select(p => $"{p.Key} ×{p.Value.Count / (double)stops:0.#} = {p.Value.Total / stops:0.0} ms");
        var mean = endToEnd.Mean;
        return $"Where one stop's time goes (means over the {stops} stops, from the agent's spans): end to end {mean:0.0} ms; " +
            $"stop worker {worker:0.0} ms, of which runtime calls: {string.Join(", ", calls)}; " +
            $"outside the worker (the command's delivery, the saga's read and its one write, the outcome's confirmed publish and its delivery) {mean - worker:0.0} ms (target ≤ 4 ms).";
    }

    public void Dispose() => listener.Dispose();
}
