using System.Text;
using System.Text.Json;
using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Security;

// Fleet questions a plain AMQP client can publish to every agent: one the agent cannot answer is answered with the
// reason, one it cannot read ends in its _fleet_error queue, and the agent goes on answering.
[Collection(BrokerCollection.Name)]
public sealed class HostileFleetQuestionTests(RabbitMqBroker broker)
{
    private const string Envelope = "application/vnd.masstransit+json";
    private static readonly string Questions = MessageUrn("ListContainers");

    [Fact]
    public async Task A_selector_the_agent_cannot_read_is_answered_with_the_reason_and_a_body_it_cannot_read_lands_in_its_fleet_error_queue()
    {
        await using var scenario = await StopScenario.StartAsync(broker);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var answers = await amqp.TapAsync("EventRuntime.Contracts:NodeContainers", declare: true);

        var unreadable = Guid.NewGuid();
        await amqp.PublishAsync(Questions, Question(unreadable, scenario.Node, "app=we b"), Envelope);
        await amqp.PublishAsync(Questions, "{\"message\": [not json", Envelope);
        var readable = Guid.NewGuid();
        await amqp.PublishAsync(Questions, Question(readable, scenario.Node, "app=web"), Envelope);

        var byRequest = await AnswersAsync(amqp, answers, [unreadable, readable]);
        Assert.Equal($"failed to list the containers of node {scenario.Node}: selector requirement \"app=we b\": label value \"we b\" is invalid: at most 63 of [A-Za-z0-9_.-], starting and ending with a letter or digit",
            byRequest[unreadable].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, byRequest[readable].GetProperty("error").ValueKind);
        var faults = await FaultsAsync(amqp, FleetQueue.For(scenario.Node) + "_error");
        Assert.True(faults.Count == 1, $"{faults.Count} faults in the fleet error queue: {string.Join("; ", faults)}");
    }

    private static string MessageUrn(string type) => "EventRuntime.Contracts:" + type;

    private static string Question(Guid requestId, string node, string selector) => JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { "urn:message:" + Questions },
        message = new { requestId, nodes = new[] { node }, selector },
    });

    private static async Task<Dictionary<Guid, JsonElement>> AnswersAsync(RawAmqp amqp, string queue, Guid[] requests)
    {
        var answers = new Dictionary<Guid, JsonElement>();
        while (answers.Count < requests.Length && await amqp.GetAsync(queue, TimeSpan.FromSeconds(30)) is { } delivery)
        {
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.GetProperty("message").Clone();
            if (requests.Contains(message.GetProperty("requestId").GetGuid()))
            {
                answers[message.GetProperty("requestId").GetGuid()] = message;
            }
        }

        Assert.Equal(requests.Order(), answers.Keys.Order());
        return answers;
    }

    private static async Task<IReadOnlyList<string>> FaultsAsync(RawAmqp amqp, string errorQueue)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<string> faults;
        while ((faults = await amqp.DrainFaultsAsync(errorQueue)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return faults;
    }
}
