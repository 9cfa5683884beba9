using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

[Collection(BrokerCollection.Name)]
public sealed class SeqLoggingTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Every_stop_step_reaches_Seq_as_a_structured_event_and_no_secret_does()
    {
        using var seq = new FakeSeq();
        const string seqApiKey = "seq-api-key-0123456789";
        ContainerIdAndCommand stop;
        await using (var scenario = await StopScenario.StartAsync(broker, settings: new Dictionary<string, string?>
        {
            ["Logging:SeqUrl"] = seq.Url,
            ["Logging:SeqApiKey"] = seqApiKey,
            ["Serilog:MinimumLevel:Default"] = "Information",
        }))
        {
            await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
            var commandId = await scenario.StopAsync("web");
            await scenario.Plane.StoppedAsync(commandId);
            stop = new ContainerIdAndCommand("web", commandId, scenario.Node);
        } // disposing the agent flushes its logs

        var steps = seq.Events
            .Where(e => e.TryGetProperty("Step", out _) && e.GetProperty("CommandId").GetString() == stop.CommandId.ToString())
            .ToList();
        Assert.Equal(["lookup", "status", "drain", "stop", "wait-stopped", "unmount", "exit-code", "persist"], steps.Select(e => e.GetProperty("Step").GetString()));
        foreach (var step in steps)
        {
            Assert.Equal(stop.Node, step.GetProperty("Node").GetString());
            Assert.Equal("web", step.GetProperty("ContainerId").GetString());
            Assert.Equal("ok", step.GetProperty("StepOutcome").GetString());
            Assert.True(step.GetProperty("DurationMs").GetDouble() >= 0);
        }

        var started = Assert.Single(seq.Events, e => e.TryGetProperty("BrokerUrl", out _));
        Assert.Contains($"{RabbitMqBroker.User}:***@", started.GetProperty("BrokerUrl").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(RabbitMqBroker.Password, seq.AllBodies, StringComparison.Ordinal);
        Assert.DoesNotContain(seqApiKey, seq.AllBodies, StringComparison.Ordinal);
    }

    private sealed record ContainerIdAndCommand(string ContainerId, Guid CommandId, string Node);
}
