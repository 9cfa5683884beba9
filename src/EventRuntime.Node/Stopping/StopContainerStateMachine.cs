using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Security;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// One saga instance per <see cref="StopContainer"/> command, keyed by its command id, on the node's one
/// command queue. The stop runs inside the command's own consume; the instance is written once, when its
/// outcome is known (<see cref="RecordOutcome"/>), and the outcome leaves only after that write is committed.
/// <code>
///   StopContainer (new id) ──invalid─────────────────────────────────────────▶ Failed  ─▶ ContainerStopFailed(InvalidCommand)
///        │              └──expired (expiresAt, expirationTime, sentTime + Stop:MaxCommandAge)─▶ Failed ─▶ ContainerStopFailed(Expired)
///        │ valid
///        ▼
///    Stopping ── StopActivity awaits the stop ──stopped──────────────────────▶ Stopped ─▶ ContainerStopped
///                                              └─failed─────────────────────▶ Failed  ─▶ ContainerStopFailed(code)
///   Stopped / Failed whose write the disk refused ─▶ not stored ─▶ ContainerStopFailed(NotRecorded, saying what became of the stop)
///   Stopped / Failed + StopContainer (same id):
///        sent again                        ─▶ ignored: no second stop, no second outcome (a warning when it names another container)
///        delivered again (redelivered, retried), its outcome not marked published
///                                          ─▶ the stored outcome is published again: the delivery that
///                                              stored it may have died before its outcome left
///        delivered again, marked published  ─▶ ignored
///   Agent killed while Stopping: nothing was stored and the command was never acknowledged, so the
///   broker delivers it again and the stop runs again (it is idempotent and joins a running one).
///   The same id twice at once: the second waits for the first's instance (an in-memory lock, not the
///   database's), then finds it Stopped or Failed.
/// </code>
/// </summary>
public sealed class StopContainerStateMachine : MassTransitStateMachine<StopContainerState>
{
    public StopContainerStateMachine(IOptions<NodeOptions> nodeOptions, IOptions<StopOptions> stopOptions, CommandSignatureCheck signatures)
    {
        var node = nodeOptions.Value.Name;
        var maxAge = stopOptions.Value.MaxCommandAge;
        // Judged once per delivery: the replay window and the expiry move with the clock, and both branches
        // and the outcome below must agree on one verdict.
        CommandVerdict VerdictOf(BehaviorContext<StopContainerState, StopContainer> context) =>
            context.GetOrAddPayload(() => Judge(context, node, maxAge, signatures));
        string? ProblemOf(BehaviorContext<StopContainerState, StopContainer> context) => VerdictOf(context).Reason;

        Event(() => StopRequested, e => e.CorrelateById(context => CommandKey(context)));

        InstanceState(x => x.CurrentState);

        Initially(
            When(StopRequested, context => ProblemOf(context) is not null)
                .Then(context =>
                {
                    Remember(context.Saga, context.Message);
                    var verdict = VerdictOf(context);
                    context.Saga.RecordFailure(verdict.Code!, verdict.Reason!, [verdict.Reason!]);
                    NodeTelemetry.CommandsRefused.Add(1, new KeyValuePair<string, object?>("reason", verdict.Code == StopFailureCode.Expired ? "expired" : "invalid"));
                })
                .TransitionTo(Failed)
                .Activity(x => x.OfType<RecordOutcome>())
                .Publish(context => FailedOf(context.Saga)),
            When(StopRequested, context => ProblemOf(context) is null)
                .Then(context => Remember(context.Saga, context.Message))
                .TransitionTo(Stopping)
                .Activity(x => x.OfType<StopActivity>())
                .IfElse(context => context.Saga.OutcomeCode == "",
                    stopped => stopped.TransitionTo(Stopped),
                    failed => failed.TransitionTo(Failed))
                .Activity(x => x.OfType<RecordOutcome>())
                .IfElse(context => context.Saga.OutcomeCode == "",
                    stopped => stopped.Publish(context => StoppedOf(context.Saga)),
                    failed => failed.Publish(context => FailedOf(context.Saga))));

        During(Stopped,
            When(StopRequested, context => MayBeUnpublished(context)).Publish(context => StoppedOf(context.Saga)),
            When(StopRequested, context => !MayBeUnpublished(context)).Activity(x => x.OfType<RepeatedCommandLog>()));

        During(Failed,
            When(StopRequested, context => MayBeUnpublished(context)).Publish(context => FailedOf(context.Saga)),
            When(StopRequested, context => !MayBeUnpublished(context)).Activity(x => x.OfType<RepeatedCommandLog>()));
    }

    /// <summary>The stop is running inside this delivery. Never stored: a crash here leaves the command unacknowledged instead.</summary>
    public State Stopping { get; private set; } = null!;

    public State Stopped { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public Event<StopContainer> StopRequested { get; private set; } = null!;

    /// <summary>The states an instance is stored in: those with an outcome.</summary>
    public IReadOnlyList<State> Answered => [Stopped, Failed];

    // A command without an id still needs an instance to be refused by; its message id serves.
    private static Guid CommandKey(ConsumeContext<StopContainer> context) =>
        context.Message.CommandId != Guid.Empty ? context.Message.CommandId : context.MessageId ?? NewId.NextGuid();

    // This very delivery may have stored its outcome and died (or failed) before the outcome's publish was confirmed.
    private static bool MayBeUnpublished(BehaviorContext<StopContainerState, StopContainer> context) =>
        !context.Saga.OutcomePublished && DeliveredBefore(context);

    private static bool DeliveredBefore(ConsumeContext context) => context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0;


    /// <summary>Why a command is refused untouched (its code and reason), or nothing when it is to be carried out.</summary>
    private sealed record CommandVerdict(string? Code, string? Reason);

    private static CommandVerdict Judge(BehaviorContext<StopContainerState, StopContainer> context, string node, TimeSpan maxAge, CommandSignatureCheck signatures)
    {
        var command = context.Message;
        if (StopCommandRules.Problem(command, node, signatures) is { } invalid)
        {
            return new CommandVerdict(StopFailureCode.InvalidCommand, invalid);
        }

        var expiresAt = CommandExpiry.ExpiresAt(command, EnvelopeSentTime(context), context.ExpirationTime, maxAge);
        return CommandExpiry.Problem(command, expiresAt, DateTimeOffset.UtcNow) is { } expired
            ? new CommandVerdict(StopFailureCode.Expired, expired)
            : new CommandVerdict(null, null);
    }

    // MassTransit gives a bare JSON body a send time read out of its message id, as if every id were a NewId: a random
    // UUID (a plain client's, or ert's direct transport, which sends the command id) decodes to any date, and a fresh
    // command failed as expired years ago (ci-v, 2026-12-02). Only an envelope's sentTime is a send time.
    private static DateTime? EnvelopeSentTime(ConsumeContext context) =>
        string.Equals(context.ReceiveContext.ContentType?.MediaType, System.Net.Mime.MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
            ? null
            : context.SentTime;

    // A refused command's texts are the sender's: its outcome echoes a short prefix of them, never all.
    private static void Remember(StopContainerState saga, StopContainer command)
    {
        saga.CommandId = command.CommandId;
        saga.Node = HostileText.Quoted(command.Node, ContainerId.MaxLength);
        saga.ContainerId = HostileText.Quoted(command.ContainerId, ContainerId.MaxLength);
        saga.TimeoutSeconds = command.TimeoutSeconds;
        saga.ResumePaused = command.ResumePaused;
        saga.RequestedInstanceId = command.InstanceId is { } instanceId ? HostileText.Quoted(instanceId, 64) : null;
        saga.DrainSeconds = command.DrainSeconds ?? 0;
        saga.ReceivedAt = DateTimeOffset.UtcNow;
    }

    private static ContainerStopped StoppedOf(StopContainerState saga) => new()
    {
        CommandId = saga.CommandId,
        Node = saga.Node,
        ContainerId = saga.ContainerId,
        InstanceId = saga.InstanceId,
        ExitCode = saga.ExitCode,
        StoppedAt = saga.OutcomeAt ?? DateTimeOffset.UtcNow,
    };

    private static ContainerStopFailed FailedOf(StopContainerState saga) => new()
    {
        CommandId = saga.CommandId,
        Node = saga.Node,
        ContainerId = saga.ContainerId,
        InstanceId = saga.InstanceId,
        Code = saga.OutcomeCode ?? StopFailureCode.Internal,
        Reason = saga.OutcomeReason,
        Causes = saga.OutcomeCauses,
        FailedAt = saga.OutcomeAt ?? DateTimeOffset.UtcNow,
    };
}
