using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Sagas;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Stopping;

[Collection(BrokerCollection.Name)]
public sealed class DuplicateCommandTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_repeated_command_id_gets_no_second_stop_and_no_second_outcome()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var command = new StopContainer { CommandId = Guid.NewGuid(), Node = scenario.Node, ContainerId = "web", TimeoutSeconds = 10 };

        await scenario.Plane.SendAsync(scenario.Node, command);
        await scenario.Plane.StoppedAsync(command.CommandId);
        await scenario.Plane.SendAsync(scenario.Node, command);
        await scenario.Plane.SendAsync(scenario.Node, command);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Single(scenario.Plane.Outcomes);
        Assert.Single(scenario.Runtime.CallsOf("kill"));
    }

    // The guard against a second outcome when a command comes again after an agent died before its ack.
    [Fact]
    public async Task An_answered_command_is_marked_published_once_the_broker_confirmed_its_outcome()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var database = scenario.Agent.Services.GetRequiredService<SagaDatabase>();

        var commandId = await scenario.StopAsync("web");
        await scenario.Plane.StoppedAsync(commandId);

        await Poll.UntilAsync(() => database.ReadAsync(t => t.LoadAsync(commandId, default), default).Result?.OutcomePublished == true,
            TimeSpan.FromSeconds(30), "the outcome is marked published");
    }

    [Fact]
    public async Task A_later_timeout_zero_cuts_a_running_300_s_grace_short_and_both_commands_get_their_outcome()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("stubborn", BusyboxRootfs.IgnoresTerm);

        var clock = Stopwatch.StartNew();
        var patient = await scenario.StopAsync("stubborn", timeoutSeconds: 300);
        await WaitForCallAsync(scenario.Runtime, "kill -- stubborn SIGTERM");
        var impatient = await scenario.StopAsync("stubborn", timeoutSeconds: 0);

        await scenario.Plane.StoppedAsync(impatient);
        await scenario.Plane.StoppedAsync(patient);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}, the 300 s grace was not cut short");
        Assert.Equal(["kill -- stubborn SIGTERM", "kill --all -- stubborn SIGKILL"], scenario.Runtime.CallsOf("kill"));
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync("stubborn")).Status);
        Assert.Equal(2, scenario.Plane.Outcomes.Count);
    }

    [Fact]
    public async Task Many_commands_for_many_containers_stop_each_container_once_and_answer_every_command()
    {
        const int containers = 100, commands = 1_000;
        await using var scenario = await StopScenario.StartAsync(broker,
            settings: new Dictionary<string, string?> { ["Stop:Concurrency"] = "64" });
        var ids = Enumerable.Range(0, containers).Select(i => $"c{i:D3}").ToList();
        foreach (var id in ids)
        {
            await scenario.Sandbox.StartAsync(id, BusyboxRootfs.TrapsTerm);
        }

        // 10 commands with their own ids per container, sent at once, with 250 duplicates (ids already sent) mixed in.
        var random = new Random(1234);
        var sent = new List<StopContainer>();
        var duplicates = 0;
        var clock = Stopwatch.StartNew();
        while (sent.Count < commands)
        {
            if (sent.Count > 0 && duplicates < commands / 4 && random.Next(5) == 0)
            {
                await scenario.Plane.SendAsync(scenario.Node, sent[random.Next(sent.Count)]);
                duplicates++;
                continue;
            }

            var command = new StopContainer
            {
                CommandId = Guid.NewGuid(), Node = scenario.Node, ContainerId = ids[sent.Count % containers], TimeoutSeconds = random.Next(0, 3) * 5,
            };
            sent.Add(command);
            await scenario.Plane.SendAsync(scenario.Node, command);
        }

        foreach (var command in sent)
        {
            await scenario.Plane.StoppedAsync(command.CommandId, TimeSpan.FromMinutes(3));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        clock.Stop();

        var kills = scenario.Runtime.CallsOf("kill");
        Assert.Equal(containers, kills.Select(call => call.Split(' ')[^2]).Distinct().Count());
        Assert.True(kills.Count == containers, $"{kills.Count} kill calls for {containers} containers; the containers with more than one: " +
            string.Join("; ", kills.GroupBy(call => call.Split(' ')[^2]).Where(calls => calls.Count() > 1).Select(calls => string.Join(", ", calls))));
        Assert.Equal(commands, scenario.Plane.Outcomes.Count);
        Assert.Equal(sent.Count, scenario.Plane.Outcomes.Cast<ContainerStopped>().Select(o => o.CommandId).Distinct().Count());
        foreach (var id in ids)
        {
            Assert.False(scenario.Sandbox.Storage.IsMounted(id));
        }

        ReliabilityReport.Record("duplicates",
            $"{commands} commands plus {duplicates} duplicates for {containers} containers: " +
            $"{kills.Count} runtime kills, {scenario.Plane.Outcomes.Count} outcomes, {clock.Elapsed.TotalSeconds:0.0} s to the last outcome");
    }

    private static async Task WaitForCallAsync(RecordingRuntime runtime, string call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!runtime.Calls().Contains(call))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no \"{call}\" within 30 s: {string.Join(", ", runtime.Calls())}");
            await Task.Delay(20);
        }
    }
}
