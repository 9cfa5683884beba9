using EventRuntime.Node.Bus;
using MassTransit;
using MassTransit.RabbitMqTransport;
using NSubstitute;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventRuntime.Node.Tests.Bus;

// What the consumer check counts as slots in use: a delivery still held whose channel shut down since it came can never be
// settled (the broker has put it back), so its slot counts as free, and a stalled endpoint shows as one with free slots.
public sealed class DeliveryCounterTests
{
    [Fact]
    public async Task A_held_delivery_counts_on_an_open_channel_until_it_is_settled()
    {
        var counter = new DeliveryCounter();
        var delivery = DeliveryOn(OpenChannel());

        await counter.PreReceive(delivery);
        Assert.Equal((1, 1, 0), CountsOf(counter));

        await counter.PostReceive(delivery);
        Assert.Equal((1, 0, 0), CountsOf(counter));
    }

    [Fact]
    public async Task A_delivery_whose_channel_shut_down_after_it_came_counts_as_held_on_a_closed_channel()
    {
        var counter = new DeliveryCounter();
        var channel = OpenChannel();
        var stuck = DeliveryOn(channel);
        await counter.PreReceive(stuck);

        ShutDown(channel);

        Assert.Equal((1, 0, 1), CountsOf(counter));
        await counter.ReceiveFault(stuck, new InvalidOperationException("channel closed"));
        Assert.Equal((1, 0, 0), CountsOf(counter));
    }

    [Fact]
    public async Task A_channel_that_shut_down_and_recovered_counts_only_the_deliveries_from_before_the_shutdown_as_closed()
    {
        var counter = new DeliveryCounter();
        var channel = OpenChannel();
        var before = DeliveryOn(channel);
        await counter.PreReceive(before);
        ShutDown(channel);
        // The same channel object, open again after recovery, delivers the next one.
        var after = DeliveryOn(channel);
        await counter.PreReceive(after);

        Assert.Equal((2, 1, 1), CountsOf(counter));
    }

    [Fact]
    public async Task A_delivery_without_a_channel_counts_as_held_on_an_open_one()
    {
        var counter = new DeliveryCounter();
        var delivery = Substitute.For<ReceiveContext>();

        await counter.PreReceive(delivery);

        Assert.Equal((1, 1, 0), CountsOf(counter));
    }

    private static IChannel OpenChannel()
    {
        var channel = Substitute.For<IChannel>();
        channel.IsOpen.Returns(true);
        return channel;
    }

    private static (long Taken, int OnOpen, int OnClosed) CountsOf(DeliveryCounter counter) =>
        (counter.Taken, counter.HeldOnOpenChannels, counter.HeldOnClosedChannels);

    private static ReceiveContext DeliveryOn(IChannel channel)
    {
        var context = Substitute.For<ChannelContext>();
        context.Channel.Returns(channel);
        var delivery = Substitute.For<ReceiveContext>();
        delivery.TryGetPayload(out Arg.Any<ChannelContext>()!).Returns(call =>
        {
            call[0] = context;
            return true;
        });
        return delivery;
    }

    /// <summary>The channel's shutdown event, as RabbitMQ.Client raises it when the broker closes the connection.</summary>
    private static void ShutDown(IChannel channel) =>
        channel.ChannelShutdownAsync += Raise.Event<AsyncEventHandler<ShutdownEventArgs>>(channel, new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED"));
}
