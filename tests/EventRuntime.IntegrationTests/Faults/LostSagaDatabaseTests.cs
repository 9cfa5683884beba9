using System.Globalization;
using System.Net;
using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Faults;

/// <summary>The node executable as a real child process whose saga database is deleted under it, or missing at its start.</summary>
[Collection(BrokerCollection.Name)]
public sealed class LostSagaDatabaseTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_database_deleted_under_the_agent_turns_readiness_unhealthy_and_survives_a_SIGKILL_so_an_answered_command_is_not_carried_out_again()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("ls-web", BusyboxRootfs.TrapsTerm);
        await sandbox.StartAsync("ls-barrier", BusyboxRootfs.TrapsTerm);
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var node = "lost-" + Guid.NewGuid().ToString("N")[..8];
        var port = LoopbackPort.Free();
        await using var agent = new AgentProcess(node, sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"),
            $"--Health:Port={port.ToString(CultureInfo.InvariantCulture)}");
        agent.Start();
        await agent.WaitForLogAsync($"Node agent {node} started");
        var answered = await plane.SendStopAsync(node, "ls-web", timeoutSeconds: 5);
        await plane.StoppedAsync(answered, Settle);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/ready")).StatusCode);

        var database = Path.Combine(sandbox.Paths.StateDirectory, "sagas.db");
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        var body = (await ReadinessProbe.WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable, Settle)).GetRawText();
        Assert.Contains($"saga database file {database}", body);
        Assert.Contains("was deleted while the agent runs", body);
        Assert.True(File.Exists(database), "the agent wrote its answers back");

        await agent.KillAsync();
        agent.Start();
        await agent.WaitForLogAsync($"Node agent {node} started");
        await plane.SendAsync(node, new StopContainer { CommandId = answered, Node = node, ContainerId = "ls-web", TimeoutSeconds = 5 });
        var barrier = await plane.SendStopAsync(node, "ls-barrier", timeoutSeconds: 5);
        await plane.StoppedAsync(barrier, Settle);
        var deadline = DateTime.UtcNow + Settle;
        while (await amqp.MessageCountAsync(NodeQueue.For(node)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node's queue never emptied");
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // room for a late second outcome to show up

        Assert.Equal(2, plane.Outcomes.Count);
    }

    [Fact]
    public async Task An_agent_whose_state_directory_had_a_database_that_is_gone_refuses_to_start_and_says_how_to_accept_it()
    {
        await using var sandbox = new RuncSandbox();
        var database = Path.Combine(sandbox.Paths.StateDirectory, "sagas.db");
        await using (var first = new AgentProcess("gone", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "first.log")))
        {
            first.Start();
            await first.WaitForLogAsync("Node agent gone started");
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(Settle));
        }

        File.Delete(database);
        await using var agent = new AgentProcess("gone", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"));
        agent.Start();

        Assert.Equal(1, await agent.WaitForExitAsync(Settle));
        Assert.Contains($"saga database {database} is missing, but this state directory had one", agent.Log(), StringComparison.Ordinal);
        Assert.Contains($"or delete {database}.id to start with an empty one", agent.Log(), StringComparison.Ordinal);
        Assert.False(File.Exists(database));
    }
}
