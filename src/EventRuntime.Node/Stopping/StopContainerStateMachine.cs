using EventRuntime.Contracts;
using EventRuntime.Node.Security;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// One saga instance per <see cref="StopContainer"/> command, keyed by its command id, stored in the
/// node's SQLite saga database.
/// <code>
///   StopContainer ──invalid──────────────────────────────────────────────────────▶ Completed ─▶ ContainerStopFailed(InvalidCommand)
///        │ valid
///        ▼
///   ExecuteStop request ──▶ Executing ──StopExecuted─────────────────────────────▶ Completed ─▶ ContainerStopped
///   (to the stop queue)        ├──────StopExecutionFailed / Fault&lt;ExecuteStop&gt;───▶ Completed ─▶ ContainerStopFailed(code)
///                              └──────StopContainer redelivered (agent crashed) ─▶ ExecuteStop again (the stop is idempotent)
///   Completed: a repeated StopContainer is ignored; a redelivered response publishes the stored outcome again.
/// </code>
/// The slow steps run in <see cref="ExecuteStopConsumer"/>, so the instance is not locked for a grace
/// period. The request has no timeout: this broker has no scheduler, so the consumer owns every deadline.
/// </summary>
public sealed class StopContainerStateMachine : MassTransitStateMachine<StopContainerState>
{
    public StopContainerStateMachine(IOptions<NodeOptions> nodeOptions, CommandSignatureCheck signatures)
    {
        var node = nodeOptions.Value.Name;
        // Judged once per delivery: the replay window moves with the clock, and the two filters and the
        // reason below must agree on one verdict.
        string? ProblemOf(BehaviorContext<StopContainerState, StopContainer> context) =>
            context.GetOrAddPayload(() => new CommandVerdict(StopCommandRules.Problem(context.Message, node, signatures))).Problem;

        // The request's fault, when the stop worker throws, must come back to the saga like its answers do.
        var faultsToSaga = Pipe.Execute<SendContext<ExecuteStop>>(send => StopQueue.SendFaultsToSaga(send, node));
        Task<SendTuple<ExecuteStop>> ExecuteStopRequest(StopContainerState saga) =>
            Task.FromResult(new SendTuple<ExecuteStop>(ExecuteStopOf(saga), faultsToSaga));

        Event(() => StopRequested, e => e.CorrelateById(context => CommandKey(context)));
        Request(() => Execution, r =>
        {
            r.ServiceAddress = new Uri($"queue:{StopQueue.For(node)}");
            r.Timeout = TimeSpan.Zero;
            // A bare JSON body (no envelope, so no type) is offered as every type this queue consumes.
            // Responses are therefore matched on their own CorrelationId, and one that matches no
            // instance (such a body read as a response) is dropped instead of faulting the command.
            r.Completed = MatchedByCorrelationId<StopExecuted>(context => context.Message.CorrelationId);
            r.Completed2 = MatchedByCorrelationId<StopExecutionFailed>(context => context.Message.CorrelationId);
            r.Faulted = MatchedByCorrelationId<Fault<ExecuteStop>>(context => context.Message.Message?.CorrelationId ?? Guid.Empty);
        });

        InstanceState(x => x.CurrentState);

        Initially(
            When(StopRequested, context => ProblemOf(context) is not null)
                .Then(context =>
                {
                    Remember(context.Saga, context.Message);
                    var reason = ProblemOf(context)!;
                    RecordFailure(context.Saga, StopFailureCode.InvalidCommand, reason, [reason]);
                })
                .TransitionTo(Completed)
                .Publish(context => FailedOf(context.Saga)),
            When(StopRequested, context => ProblemOf(context) is null)
                .Then(context => Remember(context.Saga, context.Message))
                .Request(Execution, context => ExecuteStopRequest(context.Saga))
                .TransitionTo(Execution.Pending));

        During(Execution.Pending,
            When(Execution.Completed)
                .Then(context =>
                {
                    context.Saga.OutcomeCode = "";
                    context.Saga.ExitCode = context.Message.ExitCode;
                    context.Saga.OutcomeAt = context.Message.StoppedAt;
                })
                .TransitionTo(Completed)
                .Publish(context => StoppedOf(context.Saga)),
            When(Execution.Completed2)
                .Then(context => RecordFailure(context.Saga, context.Message.Code, context.Message.Reason, context.Message.Causes))
                .TransitionTo(Completed)
                .Publish(context => FailedOf(context.Saga)),
            When(Execution.Faulted)
                .Then(context =>
                {
                    var cause = context.Message.Exceptions.FirstOrDefault()?.Message ?? "the stop worker faulted";
                    var reason = $"failed to stop container {context.Saga.ContainerId}: {cause}";
                    RecordFailure(context.Saga, StopFailureCode.Internal, reason, [reason, cause]);
                })
                .TransitionTo(Completed)
                .Publish(context => FailedOf(context.Saga)),
            // Redelivered: the agent died before this command was acknowledged, perhaps before its
            // request left. Asking again is safe: the stop is idempotent and coalesces with a running one.
            When(StopRequested, context => context.ReceiveContext.Redelivered)
                .Request(Execution, context => ExecuteStopRequest(context.Saga)),
            // Sent again by its sender while it runs: its one outcome is already on the way.
            Ignore(StopRequested, context => !context.ReceiveContext.Redelivered));

        During(Completed,
            // The agent died after saving the outcome and before the response was acknowledged, so
            // perhaps before the outcome was published: publish the stored one again.
            When(Execution.Completed, context => context.ReceiveContext.Redelivered).Publish(context => StoppedOf(context.Saga)),
            When(Execution.Completed2, context => context.ReceiveContext.Redelivered).Publish(context => FailedOf(context.Saga)),
            When(Execution.Faulted, context => context.ReceiveContext.Redelivered).Publish(context => FailedOf(context.Saga)),
            Ignore(Execution.Completed, context => !context.ReceiveContext.Redelivered),
            Ignore(Execution.Completed2, context => !context.ReceiveContext.Redelivered),
            Ignore(Execution.Faulted, context => !context.ReceiveContext.Redelivered),
            // A command id that was already answered: no second stop, no second outcome.
            Ignore(StopRequested));
    }

    public State Completed { get; private set; } = null!;

    public Event<StopContainer> StopRequested { get; private set; } = null!;

    public Request<StopContainerState, ExecuteStop, StopExecuted, StopExecutionFailed> Execution { get; private set; } = null!;

    internal static ExecuteStop ExecuteStopOf(StopContainerState saga) => new()
    {
        CorrelationId = saga.CorrelationId,
        CommandId = saga.CommandId,
        ContainerId = saga.ContainerId,
        TimeoutSeconds = saga.TimeoutSeconds,
        ResumePaused = saga.ResumePaused,
    };

    private static Action<IEventCorrelationConfigurator<StopContainerState, T>> MatchedByCorrelationId<T>(Func<ConsumeContext<T>, Guid> correlationId)
        where T : class => e =>
    {
        e.CorrelateById(correlationId);
        e.OnMissingInstance(m => m.Discard());
    };

    // A command without an id still needs an instance to be refused by; its message id serves.
    private static Guid CommandKey(ConsumeContext<StopContainer> context) =>
        context.Message.CommandId != Guid.Empty ? context.Message.CommandId : context.MessageId ?? NewId.NextGuid();

    private sealed record CommandVerdict(string? Problem);

    private static void Remember(StopContainerState saga, StopContainer command)
    {
        saga.CommandId = command.CommandId;
        saga.Node = command.Node ?? "";
        saga.ContainerId = command.ContainerId ?? "";
        saga.TimeoutSeconds = command.TimeoutSeconds;
        saga.ResumePaused = command.ResumePaused;
        saga.ReceivedAt = DateTimeOffset.UtcNow;
    }

    private static void RecordFailure(StopContainerState saga, string code, string reason, IReadOnlyList<string> causes)
    {
        saga.OutcomeCode = code;
        saga.OutcomeReason = reason;
        saga.OutcomeCauses = causes;
        saga.OutcomeAt = DateTimeOffset.UtcNow;
    }

    private static ContainerStopped StoppedOf(StopContainerState saga) => new()
    {
        CommandId = saga.CommandId,
        Node = saga.Node,
        ContainerId = saga.ContainerId,
        ExitCode = saga.ExitCode,
        StoppedAt = saga.OutcomeAt ?? DateTimeOffset.UtcNow,
    };

    private static ContainerStopFailed FailedOf(StopContainerState saga) => new()
    {
        CommandId = saga.CommandId,
        Node = saga.Node,
        ContainerId = saga.ContainerId,
        Code = saga.OutcomeCode ?? StopFailureCode.Internal,
        Reason = saga.OutcomeReason,
        Causes = saga.OutcomeCauses,
        FailedAt = saga.OutcomeAt ?? DateTimeOffset.UtcNow,
    };
}
