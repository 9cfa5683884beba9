using System.Threading.Channels;

namespace EventRuntime.Client;

/// <summary>
/// Outcome events collected for one subscriber from the moment it subscribed, until it is disposed
/// (or its client is). A subscriber that falls more than <see cref="Capacity"/> events behind loses the
/// oldest ones, counted in <see cref="Dropped"/>: a stalled reader must not grow the client's memory for ever.
/// </summary>
public sealed class OutcomeSubscription : IAsyncEnumerable<OutcomeEvent>, IDisposable
{
    /// <summary>Events kept for a reader that is behind.</summary>
    public const int Capacity = 10_000;

    private readonly Channel<OutcomeEvent> channel;
    private readonly OutcomeFilter filter;
    private readonly Action<OutcomeSubscription> onDispose;
    private long dropped;

    internal OutcomeSubscription(OutcomeFilter filter, Action<OutcomeSubscription> onDispose)
    {
        this.filter = filter;
        this.onDispose = onDispose;
        channel = Channel.CreateBounded<OutcomeEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref dropped));
    }

    /// <summary>Events lost because the reader was more than <see cref="Capacity"/> behind.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Reads the collected events, waiting for more, until the subscription is disposed or the token cancelled.</summary>
    public IAsyncEnumerator<OutcomeEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        channel.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Stops collecting; an enumeration in progress ends after the events already collected.</summary>
    public void Dispose()
    {
        Complete();
        onDispose(this);
    }

    internal void Offer(OutcomeEvent outcome)
    {
        if (filter.Matches(outcome))
        {
            channel.Writer.TryWrite(outcome);
        }
    }

    /// <summary>Ends the enumeration once the events already collected are read.</summary>
    internal void Complete() => channel.Writer.TryComplete();
}
