using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.TestSupport;
using MassTransit;

namespace EventRuntime.Node.Tests.Stopping.Specs;

/// <summary>
/// One spec per row of <see cref="Node.Stopping.StopContainerStateMachine"/>'s diagram, on the in-memory
/// harness: no Docker, no runc, no broker. The same rows run on the real parts in the integration suite.
/// </summary>
public sealed class StopContainerStateMachineSpecs
{
    [Fact]
    public async Task When_a_command_is_invalid_it_fails_with_InvalidCommand_and_touches_nothing()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web") with { Node = "elsewhere" };

        await host.SendAsync(command);

        var failed = await host.FailedAsync(command.CommandId);
        Assert.Equal(StopFailureCode.InvalidCommand, failed.Code);
        Assert.Equal("invalid command: it is addressed to node \"elsewhere\" but reached node \"spec\"", failed.Reason);
        Assert.Empty(host.Runtime.Calls);
        Assert.Equal("Failed", (await host.StoredAsync(command.CommandId))?.CurrentState);
    }

    [Fact]
    public async Task When_a_running_container_is_stopped_the_outcome_is_ContainerStopped_after_it_is_stored()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web");

        await host.ReceivedAsync(await host.SendAsync(command));

        var stopped = await host.StoppedAsync(command.CommandId);
        Assert.Equal(("spec", "web"), (stopped.Node, stopped.ContainerId));
        Assert.Equal(["kill web SIGTERM"], host.Runtime.CallsOf("kill"));
        Assert.Equal("Stopped", (await host.StoredAsync(command.CommandId))?.CurrentState);
        // Marked once the publish was confirmed, so that a redelivery of this command publishes nothing more.
        Assert.True((await host.StoredAsync(command.CommandId))?.OutcomePublished);
        Assert.Equal(ContainerStatus.Stopped, host.Store.Get("web").Status);
        Assert.False(host.Storage.IsMounted("web"));
    }

    [Fact]
    public async Task When_the_outcome_cannot_be_written_it_is_NotRecorded_saying_what_became_of_the_container()
    {
        await using var host = await StopSagaSpecHost.StartAsync(outcomeStore: new RefusingOutcomeStore());
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web");

        await host.SendAsync(command);

        var failed = await host.FailedAsync(command.CommandId);
        Assert.Equal(StopFailureCode.NotRecorded, failed.Code);
        Assert.Equal($"failed to record the outcome of command {command.CommandId} for container web: {RefusingOutcomeStore.Problem}; " +
                     "container web was stopped, but a repeat of the command would be carried out again", failed.Reason);
        Assert.Equal(["kill web SIGTERM"], host.Runtime.CallsOf("kill"));
        Assert.Null(await host.StoredAsync(command.CommandId));
    }

    [Fact]
    public async Task When_a_failure_cannot_be_written_it_is_NotRecorded_carrying_the_failure()
    {
        await using var host = await StopSagaSpecHost.StartAsync(outcomeStore: new RefusingOutcomeStore());
        var command = StopSagaSpecHost.Command("ghost");

        await host.SendAsync(command);

        var failed = await host.FailedAsync(command.CommandId);
        Assert.Equal(StopFailureCode.NotRecorded, failed.Code);
        Assert.EndsWith("; its outcome was NotFound: failed to find container ghost: container ghost is not known to this node, but a repeat of the command would be carried out again", failed.Reason);
        Assert.Equal(3, failed.Causes.Count);
    }

    private sealed class RefusingOutcomeStore : Node.Stopping.IOutcomeStore
    {
        public const string Problem = "the disk is full (spec)";

        public Task<string?> TryWriteAsync(Node.Stopping.StopContainerState instance, CancellationToken cancellationToken) => Task.FromResult<string?>(Problem);
    }

    [Fact]
    public async Task When_a_command_has_expired_it_fails_with_Expired_and_touches_nothing()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web") with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) };

        await host.SendAsync(command);

        var failed = await host.FailedAsync(command.CommandId);
        Assert.Equal(StopFailureCode.Expired, failed.Code);
        Assert.StartsWith($"command {command.CommandId} for container web expired at ", failed.Reason);
        Assert.Empty(host.Runtime.Calls);
        Assert.Equal("Failed", (await host.StoredAsync(command.CommandId))?.CurrentState);
    }

    [Fact]
    public async Task When_a_command_names_another_instance_it_fails_with_InstanceMismatch_and_touches_nothing()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web") with { InstanceId = "an-older-instance" };

        await host.SendAsync(command);

        var failed = await host.FailedAsync(command.CommandId);
        Assert.Equal(StopFailureCode.InstanceMismatch, failed.Code);
        Assert.Empty(host.Runtime.CallsOf("kill"));
    }

    [Fact]
    public async Task When_the_container_is_already_stopped_it_is_ContainerStopped_with_no_runtime_kill()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("done", ScriptedBehaviour.AlreadyStopped);
        var command = StopSagaSpecHost.Command("done");

        await host.SendAsync(command);

        await host.StoppedAsync(command.CommandId);
        Assert.Empty(host.Runtime.CallsOf("kill"));
        Assert.False(host.Storage.IsMounted("done"));
    }

    [Theory]
    [InlineData(ScriptedBehaviour.Paused, "frozen", StopFailureCode.Paused, "cannot stop paused container frozen")]
    [InlineData(null, "ghost", StopFailureCode.NotFound, "failed to find container ghost: container ghost is not known to this node")]
    [InlineData(ScriptedBehaviour.Broken, "broken", StopFailureCode.Internal, "failed to stop container broken: " + ScriptedRuntime.BrokenReason)]
    public async Task When_the_stop_fails_the_outcome_is_ContainerStopFailed_with_its_code(ScriptedBehaviour? behaviour, string id, string code, string reason)
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        if (behaviour is { } scripted)
        {
            host.AddContainer(id, scripted);
        }

        var command = StopSagaSpecHost.Command(id);

        await host.SendAsync(command);

        var failed = await host.FailedAsync(command.CommandId);
        Assert.Equal((code, reason), (failed.Code, failed.Reason));
        Assert.Empty(host.Runtime.CallsOf("kill"));
        Assert.Equal("Failed", (await host.StoredAsync(command.CommandId))?.CurrentState);
    }

    [Fact]
    public async Task When_a_command_id_is_sent_again_after_its_outcome_it_is_ignored()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web");
        await host.ReceivedAsync(await host.SendAsync(command));
        await host.StoppedAsync(command.CommandId);

        await host.ReceivedAsync(await host.SendAsync(command));

        Assert.Single(host.Outcomes(command.CommandId));
        Assert.Single(host.Runtime.CallsOf("kill"));
    }

    [Fact]
    public async Task When_an_answered_command_id_is_reused_for_another_container_it_is_ignored_and_counted()
    {
        using var reused = new CounterReading("commands.reused_id");
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        host.AddContainer("db", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web");
        await host.ReceivedAsync(await host.SendAsync(command));

        await host.ReceivedAsync(await host.SendAsync(command with { ContainerId = "db" }));

        Assert.Equal("web", Assert.IsType<ContainerStopped>(Assert.Single(host.Outcomes(command.CommandId))).ContainerId);
        Assert.Equal(["kill web SIGTERM"], host.Runtime.CallsOf("kill"));
        Assert.Equal(1, reused.Total);
    }

    [Fact]
    public async Task When_the_same_command_id_arrives_twice_at_once_it_gets_one_stop_and_one_outcome()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("slow", ScriptedBehaviour.IgnoresTerm);
        var command = StopSagaSpecHost.Command("slow", timeoutSeconds: 1);

        var deliveries = await Task.WhenAll(host.SendAsync(command), host.SendAsync(command));
        await Task.WhenAll(deliveries.Select(host.ReceivedAsync));

        Assert.IsType<ContainerStopped>(Assert.Single(host.Outcomes(command.CommandId)));
        Assert.Single(host.Runtime.CallsOf("kill"), c => c.EndsWith("SIGTERM", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_commands_for_one_container_overlap_they_share_one_stop_and_each_gets_its_outcome()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("slow", ScriptedBehaviour.IgnoresTerm);
        var patient = StopSagaSpecHost.Command("slow", timeoutSeconds: 60);
        await host.SendAsync(patient);
        await Poll.UntilAsync(() => host.Runtime.CallsOf("kill").Count == 1, TimeSpan.FromSeconds(30), "the first stop sent its signal");

        // The earliest deadline wins: the second command cuts the first one's 60 s grace period short.
        var impatient = StopSagaSpecHost.Command("slow", timeoutSeconds: 0);
        await host.SendAsync(impatient);

        await host.StoppedAsync(patient.CommandId);
        await host.StoppedAsync(impatient.CommandId);
        Assert.Single(host.Runtime.CallsOf("kill"), c => c.EndsWith("SIGTERM", StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_a_stop_waits_out_its_grace_period_nothing_is_stored_and_other_commands_are_not_held_up()
    {
        await using var host = await StopSagaSpecHost.StartAsync();
        host.AddContainer("slow", ScriptedBehaviour.IgnoresTerm);
        host.AddContainer("quick", ScriptedBehaviour.StopsOnTerm);
        var slow = StopSagaSpecHost.Command("slow", timeoutSeconds: 60);
        await host.SendAsync(slow);
        await Poll.UntilAsync(() => host.Runtime.CallsOf("kill").Count == 1, TimeSpan.FromSeconds(30), "the slow stop sent its signal");

        var quick = StopSagaSpecHost.Command("quick");
        await host.SendAsync(quick);
        await host.StoppedAsync(quick.CommandId);

        // The slow one is in its grace period: its instance is not written (one write per command, with its outcome).
        Assert.Null(await host.StoredAsync(slow.CommandId));
        Assert.Empty(host.Outcomes(slow.CommandId));
        await host.SendAsync(StopSagaSpecHost.Command("slow", timeoutSeconds: 0));
        await host.StoppedAsync(slow.CommandId);
        Assert.Equal("Stopped", (await host.StoredAsync(slow.CommandId))?.CurrentState);
    }

    [Fact]
    public async Task When_a_delivery_stored_its_outcome_but_could_not_publish_it_the_next_delivery_publishes_the_stored_one()
    {
        var failFirst = new FailFirstPublish<ContainerStopped>();
        await using var host = await StopSagaSpecHost.StartAsync(failFirst);
        host.AddContainer("web", ScriptedBehaviour.StopsOnTerm);
        var command = StopSagaSpecHost.Command("web");

        await host.ReceivedAsync(await host.SendAsync(command));

        Assert.Equal(1, failFirst.Failed);
        Assert.IsType<ContainerStopped>(Assert.Single(host.Outcomes(command.CommandId)));
        Assert.True((await host.StoredAsync(command.CommandId))?.OutcomePublished);
        // The retry found the stored outcome: it did not stop the container again.
        Assert.Single(host.Runtime.CallsOf("kill"));
    }

    /// <summary>What one of the agent's counters adds up to while this reading is open.</summary>
    private sealed class CounterReading : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener listener = new();
        private long total;

        public CounterReading(string instrument)
        {
            listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == Node.Kernel.NodeTelemetry.Name && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref total, value));
            listener.Start();
        }

        public long Total => Interlocked.Read(ref total);

        public void Dispose() => listener.Dispose();
    }

    /// <summary>Makes the first publish of <typeparamref name="T"/> fail, as a broker connection lost at that moment would.</summary>
    private sealed class FailFirstPublish<T> : IFilter<PublishContext>
        where T : class
    {
        private int failed;

        public int Failed => failed;

        public Task Send(PublishContext context, IPipe<PublishContext> next) =>
            context is PublishContext<T> && Interlocked.CompareExchange(ref failed, 1, 0) == 0
                ? throw new InvalidOperationException("the broker connection dropped (scripted)")
                : next.Send(context);

        public void Probe(ProbeContext context) => context.CreateFilterScope("failFirstPublish");
    }
}
