using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;
using EventRuntime.Testing;
using EventRuntime.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventRuntime.Bench;

/// <summary>
/// Scenario 3: messages per second through the broker on this machine, persistent and confirmed, with
/// <see cref="InFlight"/> messages in flight: raw RabbitMQ.Client, a plain MassTransit consumer, and
/// the full stop saga (SQLite repository, the stop inside the command's consume, outcome event) over an instant runtime.
/// </summary>
internal sealed class ThroughputScenario(Uri broker, int messages)
{
    private const int InFlight = 500;

    public async Task<ScenarioReport> RunAsync()
    {
        var cpu = await CpuMeter.ForAsync(broker);
        Console.Error.WriteLine("throughput: raw RabbitMQ.Client");
        var (raw, rawCpu) = await RawClientAsync(cpu);
        Console.Error.WriteLine("throughput: plain MassTransit consumer");
        var (plain, plainCpu) = await PlainMassTransitAsync(cpu);
        Console.Error.WriteLine("throughput: a stop's messages without the stop");
        var (floor, floorCpu) = await MessagesOfAStopAsync(cpu);
        Console.Error.WriteLine("throughput: saga");
        var (saga, sagaCpu, sagaNote) = await SagaAsync(cpu, outcomesOnly: true);
        Console.Error.WriteLine("throughput: saga, the control plane also subscribed to ContainerStopping");
        var (sagaWatched, sagaWatchedCpu, _) = await SagaAsync(cpu, outcomesOnly: false);
        var table = new List<string>
        {
            "| path | messages | seconds | msgs/s | CPU µs per message: bench process | CPU µs per message: broker |",
            "|---|---|---|---|---|---|",
            Row("raw RabbitMQ.Client publish + consume", raw, rawCpu),
            Row("plain MassTransit consumer", plain, plainCpu),
            Row("a stop's messages, no stop: StopContainer consumed, ContainerStopping and ContainerStopped published, the outcome awaited", floor, floorCpu),
            Row("EventRuntime saga: StopContainer → outcome (control plane awaiting outcomes)", saga, sagaCpu),
            Row("EventRuntime saga, the control plane also subscribed to ContainerStopping", sagaWatched, sagaWatchedCpu),
        };
        string[] ratios =
        [
            $"plain MassTransit / raw = {raw / plain:0.00}",
            $"saga stops/s / plain MassTransit msgs/s = {plain / saga:0.00} (target ≥ 0.4; the product's goal is 0.8)",
            $"a stop's messages without the stop / plain MassTransit = {plain / floor:0.00} (the most any stop path that sends these messages reaches)",
            $"saga / a stop's messages without the stop = {floor / saga:0.00}",
            $"saga with ContainerStopping subscribed / plain MassTransit = {plain / sagaWatched:0.00}",
            CpuRatio("saga / plain MassTransit", sagaCpu, plainCpu),
            CpuRatio("a stop's messages without the stop / plain MassTransit", floorCpu, plainCpu),
        ];
        return new ScenarioReport($"Pipeline throughput ({messages} messages, {InFlight} in flight, instant runtime)",
            $"eventruntime-bench throughput --messages {messages}", table, ratios,
            [sagaNote, "CPU per message is the CPU time this process (sender, consumer or agent, and the control plane) and the broker's container used during the path's run, divided by its messages: unlike msgs/s it hardly depends on what else the machine runs.",
             "A stop puts three messages through the broker where the plain consumer puts one: the command, ContainerStopping (published whether or not anyone subscribes) and the outcome, which the control plane consumes. The row without the stop sends exactly these from a MassTransit consumer that does nothing else: the ceiling of any stop path with this wire contract."]);
    }

    private static string CpuRatio(string paths, CpuReading of, CpuReading against) =>
        $"CPU per message, {paths}: bench process {of.Process / against.Process:0.0}×" +
        (of.Broker is { } ofBroker && against.Broker is { } againstBroker ? $", broker {ofBroker / againstBroker:0.0}×" : "");

    private string Row(string path, TimeSpan elapsed, CpuReading cpu) =>
        $"| {path} | {messages} | {elapsed.TotalSeconds:0.00} | {messages / elapsed.TotalSeconds:0} | {PerMessage(cpu.Process)} | {(cpu.Broker is { } broker ? PerMessage(broker) : "n/a")} |";

    private string PerMessage(TimeSpan cpu) => (cpu.TotalMicroseconds / messages).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(TimeSpan, CpuReading)> RawClientAsync(CpuMeter cpu)
    {
        var queue = "bench-raw-" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await using var consumer = await connection.CreateChannelAsync();
        await consumer.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: true);
        await consumer.BasicQosAsync(0, InFlight, false);
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new AsyncEventingBasicConsumer(consumer);
        handler.ReceivedAsync += async (_, delivery) =>
        {
            await consumer.BasicAckAsync(delivery.DeliveryTag, false);
            if (Interlocked.Increment(ref received) == messages)
            {
                done.TrySetResult();
            }
        };
        await consumer.BasicConsumeAsync(queue, autoAck: false, handler);
        var body = System.Text.Encoding.UTF8.GetBytes($$"""{"commandId":"{{Guid.NewGuid()}}","node":"n","containerId":"c","timeoutSeconds":10}""");
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var cpuAtStart = cpu.Read();
        var clock = Stopwatch.StartNew();
        using var window = new SemaphoreSlim(InFlight);
        var publishes = new List<Task>(messages);
        for (var i = 0; i < messages; i++)
        {
            await window.WaitAsync();
            publishes.Add(PublishAsync());
        }

        await Task.WhenAll(publishes);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        return (clock.Elapsed, cpu.Read().Since(cpuAtStart));

        async Task PublishAsync()
        {
            try
            {
                await publisher.BasicPublishAsync("", queue, false, properties, body);
            }
            finally
            {
                window.Release();
            }
        }
    }

    private async Task<(TimeSpan, CpuReading)> PlainMassTransitAsync(CpuMeter cpu)
    {
        var queue = "bench-plain-" + Guid.NewGuid().ToString("N")[..8];
        var counter = new ConsumedCounter(messages);
        var bus = await StartConsumerBusAsync(queue, () => new CountingConsumer(counter));
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
            var cpuAtStart = cpu.Read();
            var clock = Stopwatch.StartNew();
            await SendAllAsync(i => endpoint.Send(new StopContainer { CommandId = Guid.NewGuid(), Node = "n", ContainerId = "c", TimeoutSeconds = 10 }));
            await counter.Done.WaitAsync(TimeSpan.FromMinutes(5));
            return (clock.Elapsed, cpu.Read().Since(cpuAtStart));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private async Task<(TimeSpan, CpuReading, string)> SagaAsync(CpuMeter cpu, bool outcomesOnly)
    {
        await using var sandbox = new RuncSandbox();
        var records = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            sandbox.Store.Save(new ContainerRecord
            {
                Id = $"t{i}", Bundle = "/nonexistent", RootfsLower = "/nonexistent", RootfsMount = "/nonexistent", Runtime = "instant",
                Status = ContainerStatus.Running, CreatedAt = DateTimeOffset.UtcNow,
            });
        }

        records.Stop();
        var node = $"bench-throughput-{(outcomesOnly ? "outcomes" : "all")}-{Environment.ProcessId}";
        await using var agent = await NodeAgent.StartAsync(node, sandbox, broker,
            new Dictionary<string, string?>
            {
                // The same window as the two baselines' consumers (it also sets the command queue's prefetch).
                ["Stop:Concurrency"] = InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            services =>
            {
                services.AddSingleton<IOciRuntime, InstantRuntime>();
                services.AddSingleton<IContainerStorage, NoStorage>();
            });
        var (elapsed, used) = await StopAllThroughAPlaneAsync(cpu, node, outcomesOnly);

        // The records stand for containers that never existed: the sandbox's own cleanup would call runc delete for each
        // of them, 2.5 minutes for 20,000, after the measurement but before the next row.
        for (var i = 0; i < messages; i++)
        {
            sandbox.Store.Delete($"t{i}");
        }

        return (elapsed, used, $"The saga's {messages} container records were written first ({records.Elapsed.TotalSeconds:0.0} s, not counted); each stop reads its record and writes it again (fsync), as on a real node.");
    }

    private async Task<(TimeSpan, CpuReading)> MessagesOfAStopAsync(CpuMeter cpu)
    {
        var node = "bench-messages-" + Environment.ProcessId;
        var bus = await StartConsumerBusAsync(NodeQueue.For(node), () => new AnsweringConsumer());
        try
        {
            return await StopAllThroughAPlaneAsync(cpu, node, outcomesOnly: true);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>Sends every stop from a control plane, as a control plane would, and times until each one's outcome arrived.</summary>
    private async Task<(TimeSpan, CpuReading)> StopAllThroughAPlaneAsync(CpuMeter cpu, string node, bool outcomesOnly)
    {
        await using var plane = await ControlPlane.StartAsync(broker, outcomesOnly: outcomesOnly);
        var ids = new Guid[messages];
        var cpuAtStart = cpu.Read();
        var clock = Stopwatch.StartNew();
        await SendAllAsync(async i => ids[i] = await plane.SendStopAsync(node, $"t{i}"));
        foreach (var id in ids)
        {
            await plane.StoppedAsync(id, TimeSpan.FromMinutes(10));
        }

        return (clock.Elapsed, cpu.Read().Since(cpuAtStart));
    }

    /// <summary>A bus with one StopContainer consumer on <paramref name="queue"/>, as many in flight as the saga's window.</summary>
    private async Task<IBusControl> StartConsumerBusAsync<TConsumer>(string queue, Func<TConsumer> consumer)
        where TConsumer : class, IConsumer<StopContainer>
    {
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            cfg.ReceiveEndpoint(queue, e =>
            {
                e.ConfigureConsumeTopology = false;
                e.PrefetchCount = InFlight;
                e.Consumer(consumer);
            });
        });
        await bus.StartAsync();
        return bus;
    }

    private Task SendAllAsync(Func<int, Task> send) => SendWindow.RunAsync(messages, InFlight, send);

    private sealed class ConsumedCounter(int expected)
    {
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int consumed;

        public Task Done => done.Task;

        public void Add()
        {
            if (Interlocked.Increment(ref consumed) == expected)
            {
                done.TrySetResult();
            }
        }
    }

    /// <summary>Publishes what the agent publishes for a stop of a running container, as it does: ContainerStopping not awaited before the outcome.</summary>
    private sealed class AnsweringConsumer : IConsumer<StopContainer>
    {
        public async Task Consume(ConsumeContext<StopContainer> context)
        {
            var command = context.Message;
            var now = DateTime.UtcNow;
            var stopping = context.Publish(new ContainerStopping
            {
                CommandId = command.CommandId, Node = command.Node, ContainerId = command.ContainerId, SignalAt = now, GraceEndsAt = now.AddSeconds(command.TimeoutSeconds),
            });
            await context.Publish(new ContainerStopped { CommandId = command.CommandId, Node = command.Node, ContainerId = command.ContainerId, StoppedAt = DateTimeOffset.UtcNow });
            await stopping;
        }
    }

    private sealed class CountingConsumer(ConsumedCounter counter) : IConsumer<StopContainer>
    {
        public Task Consume(ConsumeContext<StopContainer> context)
        {
            counter.Add();
            return Task.CompletedTask;
        }
    }
}
