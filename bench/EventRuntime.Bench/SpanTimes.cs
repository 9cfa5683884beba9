using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventRuntime.Bench;

/// <summary>
/// Where a stop's time goes, from the agent's own spans: the stop worker ("stop X") and each runtime call
/// ("runc state", "runc kill"). What the end-to-end latency has beyond the worker's span is the bus and the
/// saga, split by MassTransit's own spans (one trace per command, from the control plane's send to the
/// outcome's receive) into the command's way to the agent, the agent's intake before the worker, the agent's
/// work after it, and the outcome's way back.
/// </summary>
internal sealed class SpanTimes : IDisposable
{
    private const string MassTransitSource = "MassTransit";
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<(string Name, double Milliseconds)> ended = new();
    private readonly ConcurrentQueue<(ActivityTraceId Trace, string Name, DateTime Start, DateTime End)> timeline = new();

    public SpanTimes(string source)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source || s.Name == MassTransitSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Clear()
    {
        ended.Clear();
        timeline.Clear();
    }

    private void Record(Activity activity)
    {
        timeline.Enqueue((activity.TraceId, activity.DisplayName, activity.StartTimeUtc, activity.StartTimeUtc + activity.Duration));
        if (activity.Source.Name == MassTransitSource)
        {
            return;
        }

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
            $"outside the worker (the command's delivery, the saga's read and its one write, the outcome's confirmed publish and its delivery) {mean - worker:0.0} ms (target ≤ 4 ms)" +
            OutsideTheWorker() + ".";
    }

    // The four parts outside the worker, as means over the commands whose trace has all of them.
    private string OutsideTheWorker()
    {
        var parts = new List<double[]>();
        foreach (var trace in timeline.GroupBy(span => span.Trace))
        {
            var spans = trace.OrderBy(span => span.Start).ToList();
            var send = spans.FirstOrDefault(span => span.Name.StartsWith(NodeQueuePrefix, StringComparison.Ordinal) && span.Name.EndsWith(" send", StringComparison.Ordinal));
            var receive = spans.FirstOrDefault(span => span.Name.StartsWith(NodeQueuePrefix, StringComparison.Ordinal) && span.Name.EndsWith(" receive", StringComparison.Ordinal));
            var worker = spans.FirstOrDefault(span => span.Name.StartsWith("stop ", StringComparison.Ordinal));
            var outcome = spans.FirstOrDefault(span => span.Name.Contains(":ContainerStop", StringComparison.Ordinal) && span.Name.EndsWith(" send", StringComparison.Ordinal) && !span.Name.Contains(":ContainerStopping", StringComparison.Ordinal));
            if (send.Name is null || receive.Name is null || worker.Name is null || outcome.Name is null)
            {
                continue;
            }

            var arrival = spans.FirstOrDefault(span => span.Name.EndsWith(" receive", StringComparison.Ordinal) && span.Start >= outcome.Start && !span.Name.StartsWith(NodeQueuePrefix, StringComparison.Ordinal));
            if (arrival.Name is null)
            {
                continue;
            }

            parts.Add([
                (receive.Start - send.Start).TotalMilliseconds, (worker.Start - receive.Start).TotalMilliseconds,
                (outcome.Start - worker.End).TotalMilliseconds, (arrival.Start - outcome.Start).TotalMilliseconds]);
        }

        if (parts.Count == 0)
        {
            return "";
        }

        double Mean(int part) => parts.Average(p => p[part]);
        return $": the command's way to the agent (control plane's send to the agent's receive) {Mean(0):0.0} ms, the agent's intake " +
            $"(deserialize, checks, the saga's read) {Mean(1):0.0} ms, after the worker (the outcome's write, the outbox) {Mean(2):0.0} ms, " +
            $"the outcome's way back (the agent's publish to the control plane's receive) {Mean(3):0.0} ms ({parts.Count} commands)";
    }

    private static string NodeQueuePrefix => "eventruntime-node-";

    public void Dispose() => listener.Dispose();
}
