using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>Counts the deliveries a receive endpoint takes, and those it holds now (taken, not yet settled).</summary>
internal sealed class DeliveryCounter : IReceiveObserver
{
    private long taken;
    private long held;

    public long Taken => Interlocked.Read(ref taken);

    public long Held => Interlocked.Read(ref held);

    public Task PreReceive(ReceiveContext context)
    {
        Interlocked.Increment(ref taken);
        Interlocked.Increment(ref held);
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        Interlocked.Decrement(ref held);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Interlocked.Decrement(ref held);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;
}
