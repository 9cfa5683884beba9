using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventRuntime.Client;
using EventRuntime.Contracts;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Stopping;

// A node configured with a command key, on the real broker and real runc. Container ids start with
// "sig-" and end with the node's suffix: runc names cgroups after ids, and other runs share the machine.
[Collection(BrokerCollection.Name)]
public sealed class SignedCommandTests(RabbitMqBroker broker) : IDisposable
{
    private const string Key = "sig-integration-key-4f1c9a7e2b";
    private readonly string keyFile = WriteKeyFile(Key);

    [Fact]
    public async Task A_command_signed_by_the_client_library_is_carried_out_and_its_replay_from_the_wire_stops_nothing()
    {
        await using var scenario = await StartAsync();
        var web = Id(scenario, "web");
        await scenario.Sandbox.StartAsync(web, BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var tap = await amqp.TapAsync(NodeQueue.For(scenario.Node));
        await using var client = new EventRuntimeClient(new EventRuntimeClientOptions { RabbitMqUrl = broker.AmqpUri, CommandKeyFile = keyFile });

        var outcome = await client.StopAsync(scenario.Node, web, TimeSpan.FromSeconds(10));

        Assert.True(outcome.IsStopped, $"{outcome.Event.Code}: {outcome.Event.Reason}");
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync(web)).Status);
        var sent = await amqp.GetAsync(tap, TimeSpan.FromSeconds(10));
        Assert.NotNull(sent);
        Assert.Contains("\"signature\"", Encoding.UTF8.GetString(sent.Body.Span), StringComparison.Ordinal);

        // The same container runs again; the captured command, sent again byte for byte, must not stop it.
        await scenario.Sandbox.Creator.DeleteAsync(web, CancellationToken.None);
        await scenario.Sandbox.StartAsync(web, BusyboxRootfs.TrapsTerm);
        await amqp.PublishBytesAsync(NodeQueue.For(scenario.Node), sent.Body.ToArray(), sent.BasicProperties.ContentType);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Single(scenario.Runtime.CallsOf("kill"));
        Assert.Single(scenario.Plane.Outcomes);
        Assert.Equal(RuntimeStatus.Running, (await scenario.Sandbox.StateAsync(web)).Status);
        await AssertNoErrorsAsync(amqp, scenario.Node);
    }

    [Fact]
    public async Task Tampered_forged_stale_future_and_unsigned_commands_get_InvalidCommand_and_the_container_keeps_running()
    {
        await using var scenario = await StartAsync();
        var (web, other) = (Id(scenario, "web"), Id(scenario, "other"));
        await scenario.Sandbox.StartAsync(web, BusyboxRootfs.TrapsTerm);
        var key = CommandKey.FromText(Key);
        var now = DateTimeOffset.UtcNow;
        StopContainer Command() => new() { CommandId = Guid.NewGuid(), Node = scenario.Node, ContainerId = web, TimeoutSeconds = 10 };
        var cases = new (string Description, StopContainer Command, string Reason)[]
        {
            ("containerId changed after signing", CommandSignature.Sign(Command() with { ContainerId = other }, key, now) with { ContainerId = web },
                "^invalid command: signature does not match$"),
            ("timeout changed after signing", CommandSignature.Sign(Command(), key, now) with { TimeoutSeconds = 0 }, "^invalid command: signature does not match$"),
            ("signed with another key", CommandSignature.Sign(Command(), Encoding.UTF8.GetBytes("sig-not-the-node-key-0000000000"), now),
                "^invalid command: signature does not match$"),
            ("signed 400 s ago", CommandSignature.Sign(Command(), key, now.AddSeconds(-400)), "^invalid command: signedAt is 40[0-9] s old; the replay window is 300 s$"),
            ("signed 400 s ahead", CommandSignature.Sign(Command(), key, now.AddSeconds(400)), "^invalid command: signedAt is (39[0-9]|400) s in the future; the replay window is 300 s$"),
            ("unsigned", Command(), "^invalid command: unsigned command, this node requires signed commands$"),
        };

        foreach (var (_, command, _) in cases)
        {
            await scenario.Plane.SendAsync(scenario.Node, command);
        }

        foreach (var (description, command, reason) in cases)
        {
            var failed = await scenario.Plane.FailedAsync(command.CommandId, TimeSpan.FromSeconds(30));
            Assert.True(failed.Code == StopFailureCode.InvalidCommand, $"{description}: {failed.Code} {failed.Reason}");
            Assert.Matches(reason, failed.Reason);
        }

        Assert.Empty(scenario.Runtime.Calls());
        Assert.Equal(RuntimeStatus.Running, (await scenario.Sandbox.StateAsync(web)).Status);
    }

    [Fact]
    public async Task A_bare_JSON_command_signed_as_docs_wire_contract_describes_is_carried_out()
    {
        await using var scenario = await StartAsync();
        var web = Id(scenario, "web");
        await scenario.Sandbox.StartAsync(web, BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var (commandId, signedAt) = (Guid.NewGuid(), DateTimeOffset.UtcNow);

        // Built by hand from the docs, not with CommandSignature, as a sender in another language would.
        var millis = signedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var canonical = $"eventruntime-stop-v1\ncommandId:36:{commandId}\nnode:{scenario.Node.Length}:{scenario.Node}\n" +
                        $"containerId:{web.Length}:{web}\ntimeoutSeconds:1:5\nresumePaused:5:false\nsignedAt:{millis.Length}:{millis}\n";
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(canonical)));
        await amqp.PublishAsync(NodeQueue.For(scenario.Node), $$"""
            { "commandId": "{{commandId}}", "node": "{{scenario.Node}}", "containerId": "{{web}}", "timeoutSeconds": 5,
              "signedAt": "{{signedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}}", "signature": "{{signature}}" }
            """, "application/json");

        await scenario.Plane.StoppedAsync(commandId, TimeSpan.FromSeconds(30));
        Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync(web)).Status);
    }

    [Fact]
    public async Task A_signedAt_or_signature_of_the_wrong_JSON_type_gets_InvalidCommand_naming_the_field()
    {
        await using var scenario = await StartAsync();
        var web = Id(scenario, "web");
        await scenario.Sandbox.StartAsync(web, BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var cases = new (Guid CommandId, string Field, string Reason)[]
        {
            (Guid.NewGuid(), "\"signedAt\": 1795914446583", "invalid command: signedAt 1795914446583 is not an ISO 8601 timestamp"),
            (Guid.NewGuid(), "\"signedAt\": \"yesterday\"", "invalid command: signedAt \"yesterday\" is not an ISO 8601 timestamp"),
            (Guid.NewGuid(), "\"signature\": [1, 2]", "invalid command: signature [1,2] is not a string"),
        };

        foreach (var (commandId, field, _) in cases)
        {
            await amqp.PublishAsync(NodeQueue.For(scenario.Node),
                $$"""{ "commandId": "{{commandId}}", "node": "{{scenario.Node}}", "containerId": "{{web}}", "timeoutSeconds": 1, {{field}} }""",
                "application/json");
        }

        foreach (var (commandId, _, reason) in cases)
        {
            var failed = await scenario.Plane.FailedAsync(commandId, TimeSpan.FromSeconds(30));
            Assert.Equal((StopFailureCode.InvalidCommand, reason), (failed.Code, failed.Reason));
        }

        Assert.Equal(RuntimeStatus.Running, (await scenario.Sandbox.StateAsync(web)).Status);
        await AssertNoErrorsAsync(amqp, scenario.Node);
    }

    // A rotation: the node has the new key and, until the end of the window, the previous one. The node's clock
    // is the test's, so the window ends when the test says, not after a wait.
    [Fact]
    public async Task During_a_key_rotation_both_keys_sign_and_after_the_window_only_the_new_one()
    {
        const string NewKey = "sig-integration-key-rotated-93d1e0";
        var newKeyFile = WriteKeyFile(NewKey);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var until = clock.GetUtcNow().AddHours(1);
        try
        {
            await using var scenario = await StopScenario.StartAsync(broker, settings: new Dictionary<string, string?>
            {
                ["Security:CommandKeyFile"] = newKeyFile,
                ["Security:PreviousCommandKeyFile"] = keyFile,
                ["Security:PreviousCommandKeyUntil"] = until.ToString("O", CultureInfo.InvariantCulture),
            }, replaceServices: services => services.AddSingleton<TimeProvider>(clock));
            var (oldKey, newKey) = (CommandKey.FromText(Key), CommandKey.FromText(NewKey));
            StopContainer Signed(string container, byte[] key) => CommandSignature.Sign(
                new StopContainer { CommandId = Guid.NewGuid(), Node = scenario.Node, ContainerId = container, TimeoutSeconds = 10 }, key, clock.GetUtcNow());
            var (during1, during2, after1, after2) = (Id(scenario, "rot1"), Id(scenario, "rot2"), Id(scenario, "rot3"), Id(scenario, "rot4"));
            foreach (var container in new[] { during1, during2, after1, after2 })
            {
                await scenario.Sandbox.StartAsync(container, BusyboxRootfs.TrapsTerm);
            }

            var (byOld, byNew) = (Signed(during1, oldKey), Signed(during2, newKey));
            await scenario.Plane.SendAsync(scenario.Node, byOld);
            await scenario.Plane.SendAsync(scenario.Node, byNew);
            await scenario.Plane.StoppedAsync(byOld.CommandId, TimeSpan.FromSeconds(30));
            await scenario.Plane.StoppedAsync(byNew.CommandId, TimeSpan.FromSeconds(30));

            clock.Now = until.AddSeconds(1);
            var (lateOld, lateNew) = (Signed(after1, oldKey), Signed(after2, newKey));
            await scenario.Plane.SendAsync(scenario.Node, lateOld);
            await scenario.Plane.SendAsync(scenario.Node, lateNew);
            var refused = await scenario.Plane.FailedAsync(lateOld.CommandId, TimeSpan.FromSeconds(30));
            await scenario.Plane.StoppedAsync(lateNew.CommandId, TimeSpan.FromSeconds(30));

            Assert.Equal(StopFailureCode.InvalidCommand, refused.Code);
            Assert.StartsWith("invalid command: signed with the previous command key, which was accepted until ", refused.Reason, StringComparison.Ordinal);
            Assert.Equal(RuntimeStatus.Running, (await scenario.Sandbox.StateAsync(after1)).Status);
            Assert.Equal(RuntimeStatus.Stopped, (await scenario.Sandbox.StateAsync(after2)).Status);
        }
        finally
        {
            File.Delete(newKeyFile);
        }
    }

    public void Dispose() => File.Delete(keyFile);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private Task<StopScenario> StartAsync() =>
        StopScenario.StartAsync(broker, settings: new Dictionary<string, string?> { ["Security:CommandKeyFile"] = keyFile });

    private static string Id(StopScenario scenario, string name) => $"sig-{name}-{scenario.Node[5..]}";

    private static string WriteKeyFile(string key)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sig-key-{Guid.NewGuid():N}");
        File.WriteAllText(path, key + "\n");
        return path;
    }

    private static async Task AssertNoErrorsAsync(RawAmqp amqp, string node) =>
        Assert.Empty(await amqp.DrainFaultsAsync(NodeQueue.For(node) + "_error"));
}
