using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.TestSupport;

namespace EventRuntime.Bench;

/// <summary>What came back from a storm: every sent command should have exactly one outcome.</summary>
/// <param name="SendsConfirmed">From the first send to the last publisher confirm: what the control plane's sending took.</param>
internal sealed record StormResult(int Sent, TimeSpan ToLastOutcome, TimeSpan SendsConfirmed, Samples Latency, int Stopped, int Failed, int Missing, int Duplicates)
{
    /// <summary>Distinct commands that got an outcome.</summary>
    public int Answered => Stopped + Failed;

    /// <summary>Outcome events received for this storm's commands, duplicates included.</summary>
    public int OutcomeEvents => Answered + Duplicates;

    public bool ExactlyOnce => Missing == 0 && Duplicates == 0 && Answered == Sent;
}

/// <summary>
/// Sends a StopContainer per (node, container) through one control plane, <paramref name="inFlight"/> sends
/// at a time (each awaits its publisher confirm), and measures every command from the start of its send to
/// the arrival of its outcome in the control plane's handler.
/// </summary>
internal sealed class StopStormRun(ControlPlane plane, int inFlight)
{
    // Outcomes can arrive twice (a redelivery after a lost ack); wait this long after the last expected one to see them.
    private static readonly TimeSpan DuplicateSettle = TimeSpan.FromSeconds(2);

    public async Task<StormResult> RunAsync(IReadOnlyList<(string Node, string ContainerId)> stops, TimeSpan within)
    {
        var ids = stops.Select(_ => Guid.NewGuid()).ToArray();
        var sentAt = new long[stops.Count];
        var start = Stopwatch.GetTimestamp();
        await SendWindow.RunAsync(stops.Count, inFlight, async index =>
        {
            sentAt[index] = Stopwatch.GetTimestamp();
            await plane.SendStopAsync(stops[index].Node, stops[index].ContainerId, commandId: ids[index]);
        });

        var sendsConfirmed = Stopwatch.GetElapsedTime(start);

        try
        {
            await Task.WhenAll(ids.Select(id => plane.OutcomeOfAsync(id, within))).WaitAsync(within);
        }
        catch (TimeoutException)
        {
            // Counted as missing below.
        }

        await Task.Delay(DuplicateSettle);
        return Count(ids, sentAt, start, sendsConfirmed);
    }

    private StormResult Count(Guid[] ids, long[] sentAt, long start, TimeSpan sendsConfirmed)
    {
        var latency = new Samples("outcome latency");
        var last = start;
        var missing = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            if (plane.TryGetArrival(ids[i], out var arrival))
            {
                latency.Add(Stopwatch.GetElapsedTime(sentAt[i], arrival));
                last = Math.Max(last, arrival);
            }
            else
            {
                missing++;
            }
        }

        var ours = ids.ToHashSet();
        var received = plane.Outcomes.Select(o => (Id: CommandIdOf(o), Outcome: o)).Where(o => ours.Contains(o.Id)).ToList();
        var firsts = received.GroupBy(o => o.Id).Select(g => g.First().Outcome).ToList();
        return new StormResult(ids.Length, Stopwatch.GetElapsedTime(start, last), sendsConfirmed, latency,
            firsts.Count(o => o is ContainerStopped), firsts.Count(o => o is ContainerStopFailed), missing, received.Count - firsts.Count);
    }

    private static Guid CommandIdOf(object outcome) => outcome switch
    {
        ContainerStopped stopped => stopped.CommandId,
        ContainerStopFailed failed => failed.CommandId,
        _ => Guid.Empty,
    };
}
