using EventRuntime.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// One saga instance per <see cref="StopContainer"/> command, keyed by its command id.
/// <code>
///   StopContainer ──invalid──────────────────────────────▶ publish ContainerStopFailed(InvalidCommand) ─▶ Final
///        │ valid
///        ▼
///   ExecuteStop request ──▶ Executing ──StopExecuted────────▶ publish ContainerStopped ────────────────▶ Final
///   (to the stop queue)         ├──────StopExecutionFailed─▶ publish ContainerStopFailed(code) ────────▶ Final
///                               └──────Fault&lt;ExecuteStop&gt;──▶ publish ContainerStopFailed(Internal) ───▶ Final
/// </code>
/// The slow steps run in <see cref="ExecuteStopConsumer"/>, so the instance is not locked for a grace
/// period. The request has no timeout: this broker has no scheduler, so the consumer owns every deadline.
/// </summary>
public sealed class StopContainerStateMachine : MassTransitStateMachine<StopContainerState>
{
    public StopContainerStateMachine(IOptions<NodeOptions> nodeOptions)
    {
        var node = nodeOptions.Value.Name;

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
            When(StopRequested, context => StopCommandRules.Problem(context.Message, node) is not null)
                .Publish(context => Refusal(context.Message, StopCommandRules.Problem(context.Message, node)!))
                .Finalize(),
            When(StopRequested, context => StopCommandRules.Problem(context.Message, node) is null)
                .Then(context =>
                {
                    context.Saga.Node = context.Message.Node;
                    context.Saga.ContainerId = context.Message.ContainerId;
                    context.Saga.TimeoutSeconds = context.Message.TimeoutSeconds;
                    context.Saga.ResumePaused = context.Message.ResumePaused;
                    context.Saga.ReceivedAt = DateTimeOffset.UtcNow;
                })
                .Request(Execution, context => new ExecuteStop
                {
                    CorrelationId = context.Saga.CorrelationId,
                    CommandId = context.Saga.CorrelationId,
                    ContainerId = context.Saga.ContainerId,
                    TimeoutSeconds = context.Saga.TimeoutSeconds,
                    ResumePaused = context.Saga.ResumePaused,
                })
                .TransitionTo(Execution.Pending));

        During(Execution.Pending,
            When(Execution.Completed)
                .Publish(context => new ContainerStopped
                {
                    CommandId = context.Saga.CorrelationId,
                    Node = context.Saga.Node,
                    ContainerId = context.Saga.ContainerId,
                    ExitCode = context.Message.ExitCode,
                    StoppedAt = context.Message.StoppedAt,
                })
                .Finalize(),
            When(Execution.Completed2)
                .Publish(context => new ContainerStopFailed
                {
                    CommandId = context.Saga.CorrelationId,
                    Node = context.Saga.Node,
                    ContainerId = context.Saga.ContainerId,
                    Code = context.Message.Code,
                    Reason = context.Message.Reason,
                    Causes = context.Message.Causes,
                    FailedAt = context.Message.FailedAt,
                })
                .Finalize(),
            When(Execution.Faulted)
                .Publish(context => InternalFailure(context.Saga, context.Message))
                .Finalize(),
            // The same command delivered again while it runs: its one outcome is already on the way.
            Ignore(StopRequested));

        SetCompletedWhenFinalized();
    }

    public Event<StopContainer> StopRequested { get; private set; } = null!;

    public Request<StopContainerState, ExecuteStop, StopExecuted, StopExecutionFailed> Execution { get; private set; } = null!;

    private static Action<IEventCorrelationConfigurator<StopContainerState, T>> MatchedByCorrelationId<T>(Func<ConsumeContext<T>, Guid> correlationId)
        where T : class => e =>
    {
        e.CorrelateById(correlationId);
        e.OnMissingInstance(m => m.Discard());
    };

    // A command without an id still needs an instance to be refused by; its message id serves.
    private static Guid CommandKey(ConsumeContext<StopContainer> context) =>
        context.Message.CommandId != Guid.Empty ? context.Message.CommandId : context.MessageId ?? NewId.NextGuid();

    private static ContainerStopFailed Refusal(StopContainer command, string reason) => new()
    {
        CommandId = command.CommandId,
        Node = command.Node ?? "",
        ContainerId = command.ContainerId ?? "",
        Code = StopFailureCode.InvalidCommand,
        Reason = reason,
        Causes = [reason],
        FailedAt = DateTimeOffset.UtcNow,
    };

    private static ContainerStopFailed InternalFailure(StopContainerState saga, Fault<ExecuteStop> fault)
    {
        var cause = fault.Exceptions.FirstOrDefault()?.Message ?? "the stop worker faulted";
        var reason = $"failed to stop container {saga.ContainerId}: {cause}";
        return new ContainerStopFailed
        {
            CommandId = saga.CorrelationId,
            Node = saga.Node,
            ContainerId = saga.ContainerId,
            Code = StopFailureCode.Internal,
            Reason = reason,
            Causes = [reason, cause],
            FailedAt = DateTimeOffset.UtcNow,
        };
    }
}
