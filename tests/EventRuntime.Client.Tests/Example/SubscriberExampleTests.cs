using EventRuntime.Client.Tests.Support;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Example;

// The subscriber example (src/EventRuntime.SubscriberExample) as a process, reacting to real outcomes.
[Collection(BrokerCollection.Name)]
public sealed class SubscriberExampleTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_example_logs_a_line_for_each_outcome()
    {
        await using var node = await TestNode.StartAsync(broker);
        var (web, ghost) = (node.Id("web"), node.Id("ghost"));
        await node.StartContainersAsync(web);
        var queue = "subscriber-example-" + Guid.NewGuid().ToString("N")[..8];
        await using var subscriber = StartExample(queue);
        await subscriber.WaitForStdoutAsync($"Subscribed to outcome events on queue {queue}", Patience);
        await using var client = node.Client();

        var stopped = await client.StopAsync(node.Name, web, TimeSpan.FromSeconds(10));
        var failed = await client.StopAsync(node.Name, ghost, TimeSpan.FromSeconds(10));

        var stoppedLine = await subscriber.WaitForStdoutAsync($"Container {web} on node {node.Name} stopped at ", Patience);
        Assert.EndsWith($"(command {stopped.Event.CommandId})", stoppedLine, StringComparison.Ordinal);
        var failedLine = await subscriber.WaitForStdoutAsync($"Container {ghost} on node {node.Name} was not stopped: NotFound: failed to find container {ghost}", Patience);
        Assert.Contains("nothing to do: the node has no such container", failedLine, StringComparison.Ordinal);
        Assert.EndsWith($"command {failed.Event.CommandId})", failedLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcomes_published_while_the_example_is_down_wait_in_its_queue()
    {
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);
        var queue = "subscriber-example-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = StartExample(queue))
        {
            // The first run declares the durable queue and its bindings; then the subscriber is killed.
            await first.WaitForStdoutAsync($"Subscribed to outcome events on queue {queue}", Patience);
        }

        await using var client = node.Client();
        var stopped = await client.StopAsync(node.Name, web, TimeSpan.FromSeconds(10));
        await using var second = StartExample(queue);

        var line = await second.WaitForStdoutAsync($"Container {web} on node {node.Name} stopped at ", Patience);
        Assert.EndsWith($"(command {stopped.Event.CommandId})", line, StringComparison.Ordinal);
    }

    private ChildProcess StartExample(string queue) => ChildProcess.Start(
        ChildProcess.BuiltExecutable("EventRuntime.SubscriberExample", "eventruntime-subscriber-example"),
        [$"--Subscriber:RabbitMqUrl={broker.AmqpUri}", $"--Subscriber:Queue={queue}"]);
}
