namespace EventRuntime.Contracts;

/// <summary>
/// Names on the wire of the fleet's roster: a RabbitMQ stream bound to the <see cref="NodeHeartbeat"/> exchange, so that
/// every agent's heartbeats of the last <see cref="MaxAge"/> stay where a reader finds them at once, and to an exchange
/// of its own where a reader drops a mark to know when it has read up to the moment it asked.
/// </summary>
public static class RosterStream
{
    /// <summary>The stream (<c>x-queue-type: stream</c>), and the fanout exchange that takes readers' marks into it.</summary>
    public const string Name = "eventruntime-roster";

    /// <summary>The stream's <c>x-max-age</c>: an agent not heard for longer drops off the roster, whatever a reader asks.</summary>
    public const string MaxAge = "10m";

    /// <summary>
    /// The stream's <c>x-stream-max-segment-size-bytes</c>. RabbitMQ removes whole segments only, and its default segment
    /// (500 MB) would keep a fleet's heartbeats for days; a megabyte holds about 1,500.
    /// </summary>
    public const int MaxSegmentBytes = 1_000_000;

    /// <summary>The AMQP <c>type</c> of a reader's mark, whose message id is the reader's own; its body is empty.</summary>
    public const string MarkType = "eventruntime-roster-mark";
}
