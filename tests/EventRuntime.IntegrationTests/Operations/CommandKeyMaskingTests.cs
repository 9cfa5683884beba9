using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

[Collection(BrokerCollection.Name)]
public sealed class CommandKeyMaskingTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task An_inline_command_key_is_masked_wherever_it_would_reach_a_log()
    {
        using var seq = new FakeSeq();
        // A key that is also a valid container id, so a command can carry it into the stop's log events.
        const string inlineKey = "sig-inline-key-5e0b7c2d91af";
        Guid commandId;
        await using (var scenario = await StopScenario.StartAsync(broker, settings: new Dictionary<string, string?>
        {
            ["Security:CommandKey"] = inlineKey,
            ["Logging:SeqUrl"] = seq.Url,
            ["Serilog:MinimumLevel:Default"] = "Information",
        }))
        {
            var command = CommandSignature.Sign(
                new StopContainer { CommandId = Guid.NewGuid(), Node = scenario.Node, ContainerId = inlineKey, TimeoutSeconds = 1 },
                CommandKey.FromText(inlineKey), DateTimeOffset.UtcNow);
            commandId = command.CommandId;
            await scenario.Plane.SendAsync(scenario.Node, command);
            var failed = await scenario.Plane.FailedAsync(commandId);
            Assert.Equal(StopFailureCode.NotFound, failed.Code);
        } // disposing the agent flushes its logs

        Assert.Contains(seq.Events, e => e.TryGetProperty("CommandId", out var id) && id.GetString() == commandId.ToString()
                                         && e.TryGetProperty("ContainerId", out var container) && container.GetString() == "***");
        Assert.DoesNotContain(inlineKey, seq.AllBodies, StringComparison.Ordinal);
    }
}
