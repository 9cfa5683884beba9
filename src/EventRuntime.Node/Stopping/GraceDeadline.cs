namespace EventRuntime.Node.Stopping;

/// <summary>
/// When the grace period of a running stop ends. Every command that joins the stop may move it earlier,
/// never later: the earliest deadline wins (a later "timeout 0" cuts a running 300 s grace short).
/// </summary>
public sealed class GraceDeadline(DateTime endsAtUtc)
{
    private long endsAtTicks = endsAtUtc.Ticks;

    public DateTime EndsAtUtc => new(Interlocked.Read(ref endsAtTicks), DateTimeKind.Utc);

    public bool HasPassed => DateTime.UtcNow >= EndsAtUtc;

    public static GraceDeadline After(TimeSpan gracePeriod) => new(DateTime.UtcNow + gracePeriod);

    public void MoveEarlier(DateTime candidateUtc)
    {
        var candidate = candidateUtc.Ticks;
        var current = Interlocked.Read(ref endsAtTicks);
        while (candidate < current)
        {
            var seen = Interlocked.CompareExchange(ref endsAtTicks, candidate, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
