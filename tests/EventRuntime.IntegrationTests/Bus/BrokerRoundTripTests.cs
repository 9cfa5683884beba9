using EventRuntime.Contracts;
using EventRuntime.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Bus;

[Collection(BrokerCollection.Name)]
public sealed class BrokerRoundTripTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_StopContainer_sent_to_a_node_queue_arrives_whole_over_RabbitMQ()
    {
        var node = "roundtrip-" + Guid.NewGuid().ToString("N")[..8];
        var received = new TaskCompletionSource<StopContainer>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var provider = new ServiceCollection()
            .AddSingleton(received)
            .AddMassTransit(x =>
            {
                x.AddConsumer<CapturingConsumer>();
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(broker.AmqpUri);
                    cfg.ReceiveEndpoint(NodeQueue.For(node), e => e.ConfigureConsumer<CapturingConsumer>(context));
                });
            })
            .BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        try
        {
            var sent = new StopContainer { CommandId = Guid.NewGuid(), Node = node, ContainerId = "web", TimeoutSeconds = 7, ResumePaused = true };
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{NodeQueue.For(node)}"));
            await endpoint.Send(sent);

            var arrived = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(sent, arrived);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private sealed class CapturingConsumer(TaskCompletionSource<StopContainer> received) : IConsumer<StopContainer>
    {
        public Task Consume(ConsumeContext<StopContainer> context)
        {
            received.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }
}
