using System.Collections.Concurrent;
using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Counts the deliveries a receive endpoint takes, and keeps those it holds now (taken, not yet settled) with the channel
/// each came on: a delivery whose channel has closed can no longer be settled, and the broker has already put it back.
/// </summary>
internal sealed class DeliveryCounter : IReceiveObserver
{
    private readonly ConcurrentDictionary<ReceiveContext, IChannel?> held = new();
    private long taken;

    public long Taken => Interlocked.Read(ref taken);

    /// <summary>Held deliveries whose channel is open (or unknown): the slots really in use.</summary>
    public int HeldOnOpenChannels => held.Values.Count(channel => channel?.IsOpen != false);

    /// <summary>Held deliveries whose channel has closed: slots that a stuck consume (an outcome publish that never returns) keeps.</summary>
    public int HeldOnClosedChannels => held.Values.Count(channel => channel?.IsOpen == false);

    public Task PreReceive(ReceiveContext context)
    {
        Interlocked.Increment(ref taken);
        held[context] = context.TryGetPayload(out ChannelContext? channel) ? channel.Channel : null;
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
}
