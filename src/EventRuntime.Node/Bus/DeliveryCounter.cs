using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Counts the deliveries a receive endpoint takes, and keeps those it holds now (taken, not yet settled) with the channel
/// each came on: a delivery whose channel has shut down since can no longer be settled, and the broker has already put it
/// back. A channel object may open again (recovered); what counts is whether it shut down after the delivery came.
/// </summary>
internal sealed class DeliveryCounter : IReceiveObserver
{
    private readonly ConcurrentDictionary<ReceiveContext, (Shutdowns? Channel, int Seen)> held = new();
    private readonly ConditionalWeakTable<IChannel, Shutdowns> channels = new();
    private long taken;

    public long Taken => Interlocked.Read(ref taken);

    /// <summary>Held deliveries whose channel has not shut down since (or is unknown): the slots really in use.</summary>
    public int HeldOnOpenChannels => held.Values.Count(entry => !Stale(entry));

    /// <summary>Held deliveries whose channel has shut down since: slots that a stuck consume (an outcome publish that never returns) keeps.</summary>
    public int HeldOnClosedChannels => held.Values.Count(Stale);

    public Task PreReceive(ReceiveContext context)
    {
        Interlocked.Increment(ref taken);
        var shutdowns = context.TryGetPayload(out ChannelContext? channel) ? channels.GetValue(channel.Channel, Watch) : null;
        held[context] = (shutdowns, shutdowns?.Count ?? 0);
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        held.TryRemove(context, out _);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        held.TryRemove(context, out _);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    private static bool Stale((Shutdowns? Channel, int Seen) entry) => entry.Channel is { } channel && channel.Count > entry.Seen;

    private static Shutdowns Watch(IChannel channel)
    {
        var shutdowns = new Shutdowns { Count = channel.IsOpen ? 0 : 1 };
        channel.ChannelShutdownAsync += (_, _) =>
        {
            Interlocked.Increment(ref shutdowns.Count);
            return Task.CompletedTask;
        };
        return shutdowns;
    }

    private sealed class Shutdowns
    {
        public int Count;
    }
}
