using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using EventRuntime.Contracts;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace EventRuntime.IntegrationTests.Security;

// Hostile input over real AMQP to a real agent on real runc: the agent stays up, no bystander container
// changes state, and every message ends exactly once, as an outcome or in _error / _skipped.
[Collection(BrokerCollection.Name)]
public sealed class HostileInputTests(RabbitMqBroker broker, ITestOutputHelper output)
{
    private const int GeneratedMessages = 120;
    private const string SequenceHeader = "fz-seq";
    private static readonly TimeSpan SettleWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Hostile_messages_leave_the_agent_up_stop_no_bystander_and_each_end_exactly_once()
    {
        var tag = "fz-" + Guid.NewGuid().ToString("N")[..6];
        string[] bystanders = [tag + "-by1", tag + "-by2"];
        var target = tag + "-tgt";
        await using var scenario = await StopScenario.StartAsync(broker);
        foreach (var id in bystanders.Append(target))
        {
            await scenario.Sandbox.StartAsync(id, BusyboxRootfs.TrapsTerm);
        }

        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var generator = new HostileMessages(scenario.Node, bystanders, tag + "-ghost");

        // One sample: the whole run is one property. A failure prints CsCheck's seed; set it in
        // EVENTRUNTIME_FUZZ_SEED to replay the same messages.
        await Check.SampleAsync(generator.Any.Array[GeneratedMessages], async generated =>
        {
            List<HostileMessage> messages = [.. generated, generator.Oversized(10 * 1024 * 1024, enveloped: true), generator.Oversized(100 * 1024, enveloped: false)];
            for (var i = 0; i < messages.Count; i++)
            {
                await amqp.PublishBytesAsync(NodeQueue.For(scenario.Node), messages[i].Body, messages[i].ContentType,
                    new Dictionary<string, object?> { [SequenceHeader] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            var ends = await SettleAsync(amqp, scenario, messages.Count);

            // Still up: a valid command afterwards is carried out.
            var final = await scenario.StopAsync(target, timeoutSeconds: 5);
            await scenario.Plane.StoppedAsync(final, TimeSpan.FromSeconds(30));

            var figures = Report(messages, ends);
            var mismatches = Mismatches(messages, ends);
            Assert.True(mismatches.Count == 0, $"{mismatches.Count} messages did not end as expected:\n{string.Join("\n", mismatches)}");
            foreach (var id in bystanders)
            {
                Assert.Equal(RuntimeStatus.Running, (await scenario.Sandbox.StateAsync(id)).Status);
            }

            Assert.True((await scenario.Sandbox.StateAsync(target)).IsStopped);
            AssertRuntimeCallsNamedOnlyTheTarget(scenario.Runtime.Calls(), target);
            ReliabilityReport.Record("hostile-input", figures);
        }, seed: Environment.GetEnvironmentVariable("EVENTRUNTIME_FUZZ_SEED"), iter: 1, threads: 1,
            print: generated => $"{generated.Length} generated messages: {string.Join(", ", generated.GroupBy(m => m.Kind).Select(g => $"{g.Key} {g.Count()}"))}");
    }

    [Fact]
    public async Task A_huge_timeout_is_clamped_to_Stop_MaxTimeoutSeconds()
    {
        var id = "fz-" + Guid.NewGuid().ToString("N")[..6] + "-slow";
        await using var scenario = await StopScenario.StartAsync(broker, settings: new Dictionary<string, string?> { ["Stop:MaxTimeoutSeconds"] = "2" });
        await scenario.Sandbox.StartAsync(id, BusyboxRootfs.IgnoresTerm);
        var clock = Stopwatch.StartNew();

        var commandId = await scenario.StopAsync(id, timeoutSeconds: int.MaxValue);

        await scenario.Plane.StoppedAsync(commandId, TimeSpan.FromSeconds(30));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
        Assert.Equal([$"kill -- {id} SIGTERM", $"kill --all -- {id} SIGKILL"], scenario.Runtime.CallsOf("kill"));
    }

    [Fact]
    public async Task Answers_forged_in_the_shape_of_the_old_internal_messages_are_skipped_and_end_no_running_stop()
    {
        var id = "fz-" + Guid.NewGuid().ToString("N")[..6] + "-slow";
        await using var scenario = await StopScenario.StartAsync(broker);
        await scenario.Sandbox.StartAsync(id, BusyboxRootfs.IgnoresTerm);
        await using var amqp = await RawAmqp.ConnectAsync(broker.AmqpUri);
        var commandId = await scenario.StopAsync(id, timeoutSeconds: 4);
        await WaitForCallAsync(scenario.Runtime, $"kill -- {id} SIGTERM");

        // The stop is in its grace period: answers naming its command would end it early if they were taken.
        var forged = new JsonObject { ["correlationId"] = commandId.ToString(), ["stoppedAt"] = DateTimeOffset.UtcNow.ToString("O"), ["code"] = "NotFound", ["reason"] = "forged" };
        foreach (var type in new[] { "StopExecuted", "StopExecutionFailed" })
        {
            await amqp.PublishAsync(NodeQueue.For(scenario.Node), HostileMessages.EnvelopeOf($"urn:message:EventRuntime.Node:{type}", forged.DeepClone().AsObject()).ToJsonString(), HostileMessages.Envelope);
        }

        var outcome = await scenario.Plane.OutcomeOfAsync(commandId, TimeSpan.FromSeconds(30));
        var stateWhenAnswered = await scenario.Sandbox.StateAsync(id);
        Assert.IsType<ContainerStopped>(outcome);
        Assert.True(stateWhenAnswered.IsStopped, "the outcome arrived while the container was still running: a forged answer was taken");
        var skipped = new List<BasicGetResult>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (skipped.Count < 2 && DateTime.UtcNow < deadline)
        {
            skipped.AddRange(await amqp.DrainAsync(NodeQueue.For(scenario.Node) + "_skipped"));
            await Task.Delay(100);
        }

        Assert.Equal(2, skipped.Count);
        Assert.Single(scenario.Plane.Outcomes);
    }

    private static async Task<MessageEnds> SettleAsync(RawAmqp amqp, StopScenario scenario, int sent)
    {
        var ends = new MessageEnds();
        var deadline = DateTime.UtcNow + SettleWithin;
        while (ends.Count(scenario.Plane) < sent && DateTime.UtcNow < deadline)
        {
            await ends.DrainAsync(amqp, scenario.Node);
            await Task.Delay(200);
        }

        // Anything arriving after the count was reached is a second end of some message.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await ends.DrainAsync(amqp, scenario.Node);
        ends.Outcomes.AddRange(scenario.Plane.Outcomes);
        return ends;
    }

    private static List<string> Mismatches(List<HostileMessage> messages, MessageEnds ends)
    {
        var mismatches = new List<string>();
        var errorSeqs = ends.Error.Select(SequenceOf).ToList();
        var skippedSeqs = ends.Skipped.Select(SequenceOf).ToList();
        var outcomeIds = ends.Outcomes.Select(CommandIdOf).ToList();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var inError = errorSeqs.Count(s => s == i);
            var inSkipped = skippedSeqs.Count(s => s == i);
            var outcomes = message.CommandId is { } commandId && commandId != Guid.Empty ? outcomeIds.Count(id => id == commandId) : -1;
            var fine = message.Expected switch
            {
                Fate.ErrorQueue => inError == 1 && inSkipped == 0 && outcomes <= 0 && HasReason(ends.Error.First(m => SequenceOf(m) == i))
                    && ReasonOf(ends.Error.First(m => SequenceOf(m) == i)).StartsWith(ExpectedReasonStart(message.Kind), StringComparison.Ordinal),
                Fate.SkippedQueue => inSkipped == 1 && inError == 0 && outcomes <= 0
                    && SkipReasonOf(ends.Skipped.First(m => SequenceOf(m) == i)).StartsWith("not consumed on this queue: message type ", StringComparison.Ordinal),
                _ => inError == 0 && inSkipped == 0 && outcomes is -1 or 1,
            };
            if (!fine)
            {
                mismatches.Add($"#{i} expected {message.Expected}, got {inError}× _error, {inSkipped}× _skipped, {outcomes}× outcome " +
                    $"[{string.Join(" | ", ends.Error.Where(m => SequenceOf(m) == i).Select(ReasonOf))}]: {message}");
            }
        }

        // Commands without a readable id are answered with the all-zero id: count them as a whole.
        var anonymousExpected = messages.Count(m => m.Expected == Fate.Outcome && (m.CommandId is null || m.CommandId == Guid.Empty));
        var anonymousSeen = outcomeIds.Count(id => !messages.Any(m => m.CommandId == id && id != Guid.Empty));
        if (anonymousExpected != anonymousSeen)
        {
            mismatches.Add($"{anonymousExpected} outcomes without a readable command id expected, {anonymousSeen} seen");
        }

        if (errorSeqs.Contains(-1) || skippedSeqs.Contains(-1))
        {
            mismatches.Add("a message in _error or _skipped lost its sequence header");
        }

        return mismatches;
    }

    // Printed before the assertions, so that a failing run shows its counts too.
    private string Report(List<HostileMessage> messages, MessageEnds ends)
    {
        var byCode = ends.Outcomes.GroupBy(o => o is ContainerStopFailed failed ? failed.Code : "Stopped")
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var kinds = messages.GroupBy(m => m.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var figures = $"{messages.Count} hostile messages sent ({string.Join(", ", kinds)}); " +
            $"ended as {ends.Outcomes.Count} outcomes ({string.Join(", ", byCode)}), {ends.Error.Count} in _error, {ends.Skipped.Count} in _skipped; " +
            "plus 1 valid command afterwards, answered";
        output.WriteLine(figures);
        foreach (var reason in ends.Error.Select(ReasonOf).Select(r => r.Length > 140 ? r[..140] : r).GroupBy(r => r).OrderByDescending(g => g.Count()).Take(12))
        {
            output.WriteLine($"  _error {reason.Count()}×: {reason.Key}");
        }

        foreach (var (queue, sample) in new[] { ("_error", ends.Error.FirstOrDefault()), ("_skipped", ends.Skipped.FirstOrDefault()) })
        {
            var headers = sample?.BasicProperties.Headers ?? new Dictionary<string, object?>();
            output.WriteLine($"  headers of a message in {queue}: {string.Join(", ", headers.Where(h => h.Key.StartsWith("MT-", StringComparison.Ordinal)).Select(h => $"{h.Key}={Shorten(h.Value)}"))}");
        }

        return figures;
    }

    // The refusals the node itself words; the rest are the JSON reader's own messages.
    private static string ExpectedReasonStart(string kind) => kind switch
    {
        "oversized" => "message body is ",
        "wrong-content-type" => "content type ",
        _ => "",
    };

    private static string SkipReasonOf(BasicGetResult message) =>
        message.BasicProperties.Headers?.TryGetValue("MT-Reason", out var value) == true && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "(none)";

    private static string Shorten(object? value)
    {
        var text = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? "";
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    private static void AssertRuntimeCallsNamedOnlyTheTarget(IReadOnlyList<string> calls, string target)
    {
        foreach (var call in calls)
        {
            var words = call.Split(' ');
            var id = words.SkipWhile(w => w != "--").Skip(1).FirstOrDefault();
            Assert.True(id == target, $"the agent called the runtime for something else than the target: {call}");
            Assert.Null(ContainerId.Problem(id));
        }
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

    private static int SequenceOf(BasicGetResult message) =>
        message.BasicProperties.Headers?.TryGetValue(SequenceHeader, out var value) == true && value is byte[] bytes
            ? int.Parse(Encoding.UTF8.GetString(bytes), System.Globalization.CultureInfo.InvariantCulture)
            : -1;

    private static bool HasReason(BasicGetResult message) => !string.IsNullOrWhiteSpace(ReasonOf(message)) && ReasonOf(message) != "(none)";

    private static string ReasonOf(BasicGetResult message) =>
        message.BasicProperties.Headers?.TryGetValue("MT-Fault-Message", out var value) == true && value is byte[] bytes
            ? Encoding.UTF8.GetString(bytes)
            : "(none)";

    private static Guid CommandIdOf(object outcome) => outcome switch
    {
        ContainerStopped stopped => stopped.CommandId,
        ContainerStopFailed failed => failed.CommandId,
        _ => throw new InvalidOperationException($"not an outcome: {outcome}"),
    };

    /// <summary>Where the messages of one run ended.</summary>
    private sealed class MessageEnds
    {
        public List<BasicGetResult> Error { get; } = [];

        public List<BasicGetResult> Skipped { get; } = [];

        public List<object> Outcomes { get; } = [];

        public int Count(ControlPlane plane) => Error.Count + Skipped.Count + plane.Outcomes.Count;

        public async Task DrainAsync(RawAmqp amqp, string node)
        {
            Error.AddRange(await amqp.DrainAsync(NodeQueue.For(node) + "_error"));
            Skipped.AddRange(await amqp.DrainAsync(NodeQueue.For(node) + "_skipped"));
        }
    }
}
