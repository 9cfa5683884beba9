// usage: eventruntime-demo <amqp-url> <node> <container>[:timeout[:resume]]...
// Sends one StopContainer per container to the node's queue, all at once, and prints each outcome
// as it arrives with the time from send to outcome. Exits 0 when every command got an outcome.
using System.Collections.Concurrent;
using System.Diagnostics;
using EventRuntime.Contracts;
using MassTransit;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: eventruntime-demo <amqp-url> <node> <container>[:timeout[:resume]]...");
    return 2;
}

var (broker, node) = (new Uri(args[0]), args[1]);
var commands = args.Skip(2).Select(spec => spec.Split(':')).Select(parts => new StopContainer
{
    CommandId = Guid.NewGuid(),
    Node = node,
    ContainerId = parts[0],
    TimeoutSeconds = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 10,
    ResumePaused = parts.Length > 2 && parts[2] == "resume",
}).ToList();

var pending = new ConcurrentDictionary<Guid, (StopContainer Command, Stopwatch Clock)>();
var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

void Print(Guid commandId, string line)
{
    if (pending.TryRemove(commandId, out var entry))
    {
        var resume = entry.Command.ResumePaused ? " resume" : "";
        Console.WriteLine($"{entry.Command.ContainerId,-10} timeout {entry.Command.TimeoutSeconds,2}s{resume,-7} {entry.Clock.ElapsedMilliseconds,6} ms  {line}");
        if (pending.IsEmpty)
        {
            done.TrySetResult();
        }
    }
}

var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    cfg.Host(broker);
    cfg.ReceiveEndpoint("eventruntime-client-demo-" + Guid.NewGuid().ToString("N")[..8], e =>
    {
        e.AutoDelete = true;
        e.Durable = false;
        e.Handler<ContainerStopped>(c => { Print(c.Message.CommandId, "ContainerStopped"); return Task.CompletedTask; });
        e.Handler<ContainerStopFailed>(c => { Print(c.Message.CommandId, $"ContainerStopFailed {c.Message.Code}: {c.Message.Reason}"); return Task.CompletedTask; });
    });
});

await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
try
{
    // The node's exchange: the control-plane user may write to it but not declare or read the node's queue.
    var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{NodeQueue.For(node)}"));
    foreach (var command in commands)
    {
        pending[command.CommandId] = (command, Stopwatch.StartNew());
        await endpoint.Send(command);
    }

    var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(120)));
    foreach (var (_, (command, _)) in pending)
    {
        Console.WriteLine($"{command.ContainerId,-10} no outcome within 120 s");
    }

    return finished == done.Task ? 0 : 1;
}
finally
{
    await bus.StopAsync();
}
