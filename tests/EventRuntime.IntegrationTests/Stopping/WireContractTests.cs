using System.Text;
using System.Text.Json;
using EventRuntime.Contracts;
using EventRuntime.TestSupport;
using MassTransit;

namespace EventRuntime.IntegrationTests.Stopping;

// The wire contract of docs/wire-contract.md, driven by a plain AMQP client: no MassTransit on the sending side.
[Collection(BrokerCollection.Name)]
public sealed class WireContractTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_StopContainer_in_MassTransit_s_envelope_from_a_plain_AMQP_client_is_carried_out()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = Guid.NewGuid();

        await amqp.PublishAsync(NodeQueue.For(scenario.Node), $$"""
            {
              "messageId": "{{Guid.NewGuid()}}",
              "messageType": ["urn:message:EventRuntime.Contracts:StopContainer"],
              "message": { "commandId": "{{commandId}}", "node": "{{scenario.Node}}", "containerId": "web", "timeoutSeconds": 5 }
            }
            """, "application/vnd.masstransit+json");

        var stopped = await scenario.Plane.StoppedAsync(commandId, TimeSpan.FromSeconds(20));
        Assert.Equal("web", stopped.ContainerId);
        await AssertNoErrorsAsync(amqp, scenario.Node);
    }

    [Fact]
    public async Task A_bare_JSON_StopContainer_without_an_envelope_is_carried_out()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = Guid.NewGuid();

        await amqp.PublishAsync(NodeQueue.For(scenario.Node),
            $$"""{ "commandId": "{{commandId}}", "node": "{{scenario.Node}}", "containerId": "web", "timeoutSeconds": 5, "someFutureField": [1, 2] }""",
            "application/json");

        await scenario.Plane.StoppedAsync(commandId);
        await AssertNoErrorsAsync(amqp, scenario.Node);
        Assert.Single(scenario.Plane.Outcomes);
    }

    // The command id of the ci-v failure (2026-12-02): ert's direct transport sends it as the message id, and MassTransit
    // read that random UUID as a NewId whose timestamp lies in 2015, so the fresh command failed as Expired.
    [Fact]
    public async Task A_bare_JSON_command_whose_message_id_decodes_to_an_old_NewId_time_is_not_expired()
    {
        var commandId = Guid.Parse("fa9a8e28-3732-4140-9707-08d1fd225adc");
        Assert.True(commandId.ToNewId().Timestamp < DateTime.UtcNow.AddYears(-1), "the id no longer decodes to an old time: the test would prove nothing");
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);

        await amqp.PublishAsync(NodeQueue.For(scenario.Node),
            $$"""{ "commandId": "{{commandId}}", "node": "{{scenario.Node}}", "containerId": "web", "timeoutSeconds": 5 }""",
            "application/json", messageId: commandId);

        await scenario.Plane.StoppedAsync(commandId);
    }

    public static TheoryData<string, string, string> InvalidCommands => new()
    {
        { "negative timeout", """ "containerId": "web", "timeoutSeconds": -1 """, "timeoutSeconds is -1" },
        { "path in the id", """ "containerId": "../etc", "timeoutSeconds": 1 """, "container id \"../etc\" is invalid" },
        { "option in the id", """ "containerId": "--root=/", "timeoutSeconds": 1 """, "container id \"--root=/\" is invalid" },
        { "empty id", """ "containerId": "", "timeoutSeconds": 1 """, "container id is empty" },
        { "no id at all", """ "timeoutSeconds": 1 """, "container id is empty" },
    };

    [Theory]
    [MemberData(nameof(InvalidCommands))]
    public async Task An_invalid_command_gets_InvalidCommand_with_the_reason(string description, string fields, string expectedReason)
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = Guid.NewGuid();

        await amqp.PublishAsync(NodeQueue.For(scenario.Node),
            $$"""{ "commandId": "{{commandId}}", "node": "{{scenario.Node}}", {{fields}} }""", "application/json");

        var failed = await scenario.Plane.FailedAsync(commandId);
        Assert.True(failed.Code == StopFailureCode.InvalidCommand, description);
        Assert.Contains(expectedReason, failed.Reason, StringComparison.Ordinal);
        Assert.Empty(scenario.Runtime.Calls());
    }

    [Fact]
    public async Task A_command_without_a_command_id_gets_InvalidCommand()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);

        await amqp.PublishAsync(NodeQueue.For(scenario.Node),
            $$"""{ "node": "{{scenario.Node}}", "containerId": "web", "timeoutSeconds": 1 }""", "application/json");

        var failed = await scenario.Plane.FailedAsync(Guid.Empty);
        Assert.Equal(StopFailureCode.InvalidCommand, failed.Code);
        Assert.Equal("invalid command: commandId is missing", failed.Reason);
        Assert.Equal("web", failed.ContainerId);
    }

    public static TheoryData<string, string, string> MalformedCommands => new()
    {
        { "commandId is no UUID", "\"commandId\": \"not-a-uuid\", \"node\": \"{0}\", \"containerId\": \"web\", \"timeoutSeconds\": 1", "commandId \"not-a-uuid\" is not a UUID in its 36-character form (8-4-4-4-12 hex digits)" },
        { "commandId is a number", "\"commandId\": 42, \"node\": \"{0}\", \"containerId\": \"web\", \"timeoutSeconds\": 1", "commandId 42 is not a UUID in its 36-character form (8-4-4-4-12 hex digits)" },
        { "timeout is text", "\"commandId\": \"{1}\", \"node\": \"{0}\", \"containerId\": \"web\", \"timeoutSeconds\": \"soon\"", "timeoutSeconds \"soon\" is not a whole number of seconds" },
    };

    [Theory]
    [MemberData(nameof(MalformedCommands))]
    public async Task A_command_with_a_malformed_field_gets_InvalidCommand(string description, string fieldsFormat, string expectedReason)
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = Guid.NewGuid();
        var fields = string.Format(System.Globalization.CultureInfo.InvariantCulture, fieldsFormat, scenario.Node, commandId);

        await amqp.PublishAsync(NodeQueue.For(scenario.Node), "{" + fields + "}", "application/json");

        var outcome = await WaitForAnyOutcomeAsync(scenario.Plane, amqp, scenario.Node);
        var failed = Assert.IsType<ContainerStopFailed>(outcome);
        Assert.True(failed.Code == StopFailureCode.InvalidCommand, description);
        Assert.Equal("invalid command: " + expectedReason, failed.Reason);
        Assert.Equal("web", failed.ContainerId);
        Assert.Equal(Node.Runtime.RuntimeStatus.Running, (await scenario.Sandbox.StateAsync("web")).Status);
        await AssertNoErrorsAsync(amqp, scenario.Node);
    }

    public static TheoryData<string, string> OtherUuidSpellings => new()
    {
        { "no hyphens", "N" }, { "in braces", "B" }, { "in parentheses", "P" }, { "with surrounding spaces", " D " },
    };

    // One rule (docs/wire-contract.md): the 36-character form. Any other spelling is refused, and its sender
    // is still told, under the id it meant.
    [Theory]
    [MemberData(nameof(OtherUuidSpellings))]
    public async Task A_command_id_in_another_UUID_spelling_gets_InvalidCommand_under_that_id(string description, string format)
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = Guid.NewGuid();
        var spelled = format == " D " ? $" {commandId:D} " : commandId.ToString(format);

        await amqp.PublishAsync(NodeQueue.For(scenario.Node),
            $$"""{ "commandId": "{{spelled}}", "node": "{{scenario.Node}}", "containerId": "web", "timeoutSeconds": 1 }""", "application/json");

        var failed = await scenario.Plane.FailedAsync(commandId);
        Assert.True(failed.Code == StopFailureCode.InvalidCommand, description);
        Assert.Equal($"invalid command: commandId \"{spelled}\" is not a UUID in its 36-character form (8-4-4-4-12 hex digits)", failed.Reason);
        Assert.Equal(Node.Runtime.RuntimeStatus.Running, (await scenario.Sandbox.StateAsync("web")).Status);
        await AssertNoErrorsAsync(amqp, scenario.Node);
    }

    public static TheoryData<string, string, bool> FieldsNamedTwice => new()
    {
        { "the same key twice", "containerId", false }, { "the same key twice, enveloped", "containerId", true },
        { "two casings of one key", "ContainerId", false }, { "two casings of one key, enveloped", "ContainerId", true },
    };

    // A gateway or auditor that reads the first key must never see another target than the one the agent stops.
    [Theory]
    [MemberData(nameof(FieldsNamedTwice))]
    public async Task A_command_that_names_a_field_twice_gets_InvalidCommand_and_stops_neither_container(string description, string secondKey, bool enveloped)
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("first", BusyboxRootfs.TrapsTerm);
        await scenario.Sandbox.StartAsync("second", BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = Guid.NewGuid();
        var fields = $$"""{ "commandId": "{{commandId}}", "node": "{{scenario.Node}}", "containerId": "first", "{{secondKey}}": "second", "timeoutSeconds": 1 }""";
        var body = enveloped
            ? $$"""{ "messageId": "{{Guid.NewGuid()}}", "messageType": ["urn:message:EventRuntime.Contracts:StopContainer"], "message": {{fields}} }"""
            : fields;

        await amqp.PublishAsync(NodeQueue.For(scenario.Node), body, enveloped ? "application/vnd.masstransit+json" : "application/json");

        var failed = await scenario.Plane.FailedAsync(commandId);
        Assert.True(failed.Code == StopFailureCode.InvalidCommand, description);
        Assert.Equal($"invalid command: field containerId appears 2 times ({string.Join(", ", new[] { "containerId", secondKey }.Distinct())}); a command must name each field once", failed.Reason);
        Assert.Equal("first", failed.ContainerId);
        Assert.Equal(Node.Runtime.RuntimeStatus.Running, (await scenario.Sandbox.StateAsync("first")).Status);
        Assert.Equal(Node.Runtime.RuntimeStatus.Running, (await scenario.Sandbox.StateAsync("second")).Status);
        Assert.DoesNotContain(scenario.Runtime.Calls(), c => c.StartsWith("kill", StringComparison.Ordinal));
        await AssertNoErrorsAsync(amqp, scenario.Node);
    }

    [Fact]
    public async Task A_refused_command_echoes_only_a_short_prefix_of_the_sender_s_text()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = Guid.NewGuid();
        var longId = new string('x', 60_000); // with the rest, just under Intake:MaxMessageBytes (64 KiB)

        await amqp.PublishAsync(NodeQueue.For(scenario.Node),
            $$"""{ "commandId": "{{commandId}}", "node": "{{new string('n', 2_000)}}", "containerId": "{{longId}}", "timeoutSeconds": 1 }""", "application/json");

        var failed = await scenario.Plane.FailedAsync(commandId);
        Assert.Equal(StopFailureCode.InvalidCommand, failed.Code);
        Assert.Equal(new string('x', 128) + "…", failed.ContainerId);
        Assert.Equal(new string('n', 128) + "…", failed.Node);
        Assert.InRange(failed.Reason.Length + string.Concat(failed.Causes).Length, 1, 1_000);
    }

    [Fact]
    public async Task A_command_for_another_node_is_refused_and_changes_nothing()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var commandId = Guid.NewGuid();

        await scenario.Plane.SendAsync(scenario.Node, new StopContainer { CommandId = commandId, Node = "elsewhere", ContainerId = "web", TimeoutSeconds = 1 });

        var failed = await scenario.Plane.FailedAsync(commandId);
        Assert.Equal(StopFailureCode.InvalidCommand, failed.Code);
        Assert.Contains($"addressed to node \"elsewhere\" but reached node \"{scenario.Node}\"", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(Node.Runtime.RuntimeStatus.Running, (await scenario.Sandbox.StateAsync("web")).Status);
    }

    [Theory]
    [InlineData("{ this is not json", "application/json")]
    [InlineData("[1, 2, 3]", "application/json")]
    [InlineData("stop web please", "text/plain")]
    [InlineData("{\"messageType\": [\"urn:message:EventRuntime.Contracts:StopContainer\"], \"message\": 7}", "application/vnd.masstransit+json")]
    public async Task A_body_that_is_no_message_lands_in_the_error_queue_with_the_reason_and_the_agent_goes_on(string body, string contentType)
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);

        await amqp.PublishAsync(NodeQueue.For(scenario.Node), body, contentType);

        var dead = await amqp.GetAsync(NodeQueue.For(scenario.Node) + "_error", TimeSpan.FromSeconds(30));
        Assert.NotNull(dead);
        Assert.Equal(body, Encoding.UTF8.GetString(dead.Body.Span));
        var headers = dead.BasicProperties.Headers!;
        Assert.True(headers.ContainsKey("MT-Fault-Message"), string.Join(", ", headers.Keys));
        Assert.False(string.IsNullOrWhiteSpace(Encoding.UTF8.GetString((byte[])headers["MT-Fault-Message"]!)));

        var commandId = await scenario.StopAsync("web");
        await scenario.Plane.StoppedAsync(commandId);
        Assert.Single(scenario.Plane.Outcomes);
    }

    [Fact]
    public async Task The_outcome_event_on_the_wire_has_the_documented_fields()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync("web", BusyboxRootfs.TrapsTerm);
        var stopped = await scenario.Plane.StoppedAsync(await scenario.StopAsync("web"));

        var json = JsonSerializer.SerializeToElement(stopped, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.Equal(["commandId", "node", "containerId", "instanceId", "exitCode", "stoppedAt"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(scenario.Sandbox.Store.Get("web").InstanceId, json.GetProperty("instanceId").GetString());
    }

    private static async Task<object> WaitForAnyOutcomeAsync(ControlPlane plane, RawAmqp amqp, string node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (plane.Outcomes.Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                var faults = await amqp.DrainFaultsAsync(NodeQueue.For(node) + "_error");
                var skipped = await amqp.DrainFaultsAsync(NodeQueue.For(node) + "_skipped");
                throw new TimeoutException($"no outcome arrived; error queue: [{string.Join(" | ", faults)}]; skipped: {skipped.Count}");
            }

            await Task.Delay(50);
        }

        return plane.Outcomes.First();
    }

    private static async Task AssertNoErrorsAsync(RawAmqp amqp, string node) =>
        Assert.Empty(await amqp.DrainFaultsAsync(NodeQueue.For(node) + "_error"));
}
