using EventRuntime.Client;
using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Faults;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>
/// Stops and messages that fail on the node's command queue, with the agent logged in as its
/// least-privilege node user. MassTransit's habit of publishing a Fault or ReceiveFault would declare
/// exchanges outside the node's rights; the broker would refuse and close the channel. Instead a stop that
/// throws must still answer its command, a message that fails for good must reach the queue's _error queue
/// with the reason, and the agent must go on stopping containers.
/// Each test provisions its own node (infra/rabbitmq/add-node.sh), so an agent left behind by one failing
/// test cannot take another test's messages.
/// </summary>
[Collection(SecuredBrokerCollection.Name)]
public sealed class LeastPrivilegeFaultTests(SecuredRabbitMqBroker broker)
{
    // Long enough for three immediate retries and a broker round trip on a loaded CI machine.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    // A message that fails for good may leave its delivery unsettled; the agent must not wait for it when
    // the test ends (NodeAgent gives a host 30 s to stop), or its shutdown would fail and hide the test's verdict.
    private static readonly Dictionary<string, string?> ShortShutdown = new() { ["Node:ShutdownTimeout"] = "00:00:05" };

    [Fact]
    public async Task A_stop_that_throws_still_answers_its_command_with_ContainerStopFailed_and_the_agent_goes_on()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("ef-cancelled", BusyboxRootfs.TrapsTerm);
        await sandbox.StartAsync("ef-after-worker", BusyboxRootfs.TrapsTerm);
        await using var admin = await RawAmqp.ConnectAsync(broker.UriFor(SecuredRabbitMqBroker.Administrator));
        var node = await ProvisionNodeAsync();
        var agent = await NodeAgent.StartAsync(node, sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser(node)), ShortShutdown,
            replaceServices: services => services.AddSingleton<IOciRuntime>(new CancellingRuntime(sandbox.Runtime, "ef-cancelled")));
        await VerdictFirstAsync(agent, async () =>
        {
            await using var client = ControlPlaneClient();

            var outcome = await client.StopAsync(node, "ef-cancelled", TimeSpan.FromSeconds(5), new StopCommandOptions { OutcomeWait = Settle });

            Assert.False(outcome.IsStopped);
            Assert.Equal(StopFailureCode.Internal, outcome.Event.Code);
            Assert.Equal($"failed to stop container ef-cancelled: {CancellingRuntime.Reason}", outcome.Event.Reason);
            // Answered, so neither failed nor skipped.
            Assert.Empty(await admin.DrainAsync(NodeQueue.For(node) + "_error"));
            Assert.Empty(await admin.DrainAsync(NodeQueue.For(node) + "_skipped"));
            await AssertTheAgentStillStopsAsync(client, sandbox, node, "ef-after-worker");
        });
    }

    [Fact]
    public async Task A_command_whose_outcome_cannot_be_saved_is_answered_NotRecorded_and_the_agent_goes_on()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("ef-unsaved", BusyboxRootfs.TrapsTerm);
        await sandbox.StartAsync("ef-after-saga", BusyboxRootfs.TrapsTerm);
        await SagaDatabaseFailure.FailSavingTheOutcomeOfAsync(sandbox, "ef-unsaved");
        await using var admin = await RawAmqp.ConnectAsync(broker.UriFor(SecuredRabbitMqBroker.Administrator));
        var node = await ProvisionNodeAsync();
        var agent = await NodeAgent.StartAsync(node, sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser(node)), ShortShutdown);
        await VerdictFirstAsync(agent, async () =>
        {
            await using var client = ControlPlaneClient();

            var outcome = await client.StopAsync(node, "ef-unsaved", TimeSpan.FromSeconds(5), new StopCommandOptions { OutcomeWait = Settle });

            // The container was stopped; its outcome could not be saved, and the sender is told so.
            Assert.False(outcome.IsStopped);
            Assert.Equal(StopFailureCode.NotRecorded, outcome.Event.Code);
            Assert.Contains(SagaDatabaseFailure.Reason, outcome.Event.Reason);
            Assert.Contains("container ef-unsaved was stopped, but a repeat of the command would be carried out again", outcome.Event.Reason);
            Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync("ef-unsaved")).Status);
            Assert.Empty(await admin.DrainAsync(NodeQueue.For(node) + "_error"));
            Assert.Empty(await admin.DrainAsync(NodeQueue.For(node) + "_skipped"));
            await AssertTheAgentStillStopsAsync(client, sandbox, node, "ef-after-saga");
        });
    }

    [Fact]
    public async Task An_unreadable_message_on_the_command_queue_lands_in_its_error_queue_and_the_agent_goes_on()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("ef-after-garbage", BusyboxRootfs.TrapsTerm);
        await using var admin = await RawAmqp.ConnectAsync(broker.UriFor(SecuredRabbitMqBroker.Administrator));
        var node = await ProvisionNodeAsync();
        var agent = await NodeAgent.StartAsync(node, sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser(node)), ShortShutdown);
        await VerdictFirstAsync(agent, async () =>
        {
            await using var client = ControlPlaneClient();
            await using var controlPlane = await RawAmqp.ConnectAsync(broker.UriFor(SecuredRabbitMqBroker.ControlPlane));

            await controlPlane.PublishBytesAsync(NodeQueue.For(node), [0x7b, 0x22, 0xff, 0x00], "application/vnd.masstransit+json");

            var reason = Assert.Single(await ErrorReasonsAsync(admin, NodeQueue.For(node) + "_error"));
            Assert.Contains("is invalid within a JSON string", reason);
            await AssertTheAgentStillStopsAsync(client, sandbox, node, "ef-after-garbage");
        });
    }

    [Fact]
    public async Task A_command_whose_fault_address_names_a_queue_the_node_may_not_write_lands_in_error_and_the_agent_goes_on()
    {
        await using var sandbox = new RuncSandbox();
        await sandbox.StartAsync("ef-redirect", BusyboxRootfs.TrapsTerm);
        await sandbox.StartAsync("ef-after-redirect", BusyboxRootfs.TrapsTerm);
        var commandId = Guid.NewGuid();
        await SagaDatabaseFailure.StoreAnUnreadableInstanceAsync(sandbox, commandId);
        await using var admin = await RawAmqp.ConnectAsync(broker.UriFor(SecuredRabbitMqBroker.Administrator));
        var node = await ProvisionNodeAsync();
        var agent = await NodeAgent.StartAsync(node, sandbox, broker.UriFor(SecuredRabbitMqBroker.NodeUser(node)), ShortShutdown);
        await VerdictFirstAsync(agent, async () =>
        {
            await using var client = ControlPlaneClient();
            await using var controlPlane = await RawAmqp.ConnectAsync(broker.UriFor(SecuredRabbitMqBroker.ControlPlane));
            await admin.DrainAsync(NodeQueue.For("beta")); // whatever earlier tests left there

            // The sender picks where MassTransit sends the fault of its command: another node's queue.
            await controlPlane.PublishAsync(NodeQueue.For(node), $$"""
                {
                  "messageId": "{{Guid.NewGuid()}}",
                  "faultAddress": "queue:{{NodeQueue.For("beta")}}",
                  "messageType": ["urn:message:EventRuntime.Contracts:StopContainer"],
                  "message": { "commandId": "{{commandId}}", "node": "{{node}}", "containerId": "ef-redirect", "timeoutSeconds": 5 }
                }
                """, "application/vnd.masstransit+json");

            var reason = Assert.Single(await ErrorReasonsAsync(admin, NodeQueue.For(node) + "_error"));
            Assert.Contains("'not json' is an invalid JSON literal", reason);
            Assert.Empty(await admin.DrainAsync(NodeQueue.For("beta")));
            await AssertTheAgentStillStopsAsync(client, sandbox, node, "ef-after-redirect");
        });
    }

    /// <summary>A node of its own for one test, with the least-privilege user the definitions give every node.</summary>
    private async Task<string> ProvisionNodeAsync()
    {
        var node = "ef-" + Guid.NewGuid().ToString("N")[..8];
        var (exitCode, output) = await broker.AddNodeAsync(node, SecuredRabbitMqBroker.NodeUser(node).Password);
        Assert.True(exitCode == 0, output);
        return node;
    }

    private EventRuntimeClient ControlPlaneClient() =>
        new(new EventRuntimeClientOptions { RabbitMqUrl = broker.UriFor(SecuredRabbitMqBroker.ControlPlane) });

    /// <summary>
    /// Runs <paramref name="body"/>, then stops the agent. An agent wedged by the failure under test (a
    /// message it cannot settle) may also fail to stop; that second exception must not replace the body's,
    /// which says what went wrong, so a failed body reports both, its own first.
    /// </summary>
    private static async Task VerdictFirstAsync(NodeAgent agent, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception failure)
        {
            try
            {
                await agent.DisposeAsync();
            }
            catch (Exception shutdown)
            {
                throw new AggregateException(failure, shutdown);
            }

            throw;
        }

        await agent.DisposeAsync();
    }

    /// <summary>A valid command after the failure still gets its outcome: every endpoint of the agent still works.</summary>
    private static async Task AssertTheAgentStillStopsAsync(EventRuntimeClient client, RuncSandbox sandbox, string node, string containerId)
    {
        var outcome = await client.StopAsync(node, containerId, TimeSpan.FromSeconds(5), new StopCommandOptions { OutcomeWait = Settle });

        Assert.True(outcome.IsStopped, outcome.Event.Reason);
        Assert.Equal(RuntimeStatus.Stopped, (await sandbox.StateAsync(containerId)).Status);
    }

    /// <summary>The MT-Fault-Message of every message in <paramref name="errorQueue"/>, waiting up to <see cref="Settle"/> for the first.</summary>
    private static async Task<IReadOnlyList<string>> ErrorReasonsAsync(RawAmqp amqp, string errorQueue)
    {
        var deadline = DateTime.UtcNow + Settle;
        IReadOnlyList<string> reasons;
        do
        {
            await Task.Delay(200);
            reasons = await amqp.DrainFaultsAsync(errorQueue);
        }
        while (reasons.Count == 0 && DateTime.UtcNow < deadline);

        return reasons;
    }
}
