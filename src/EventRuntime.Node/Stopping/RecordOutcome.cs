using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Writes the instance with its outcome, the saga's one write per command, before the outcome is published.
/// When the store refuses it (a full or failing disk) the stop has still run: the command is answered with
/// <see cref="StopFailureCode.NotRecorded"/>, saying what became of the container and that a repeat of the
/// command would be carried out again, instead of failing its delivery into the error queue unanswered.
/// </summary>
public sealed class RecordOutcome(IOutcomeStore store, ILogger<RecordOutcome> logger) : IStateMachineActivity<StopContainerState, StopContainer>
{
    public async Task Execute(BehaviorContext<StopContainerState, StopContainer> context, IBehavior<StopContainerState, StopContainer> next)
    {
        var saga = context.Saga;
        if (await store.TryWriteAsync(saga, context.CancellationToken).ConfigureAwait(false) is { } problem)
        {
            NodeTelemetry.OutcomesNotRecorded.Add(1);
            logger.LogError("Could not record the outcome of command {CommandId} for container {ContainerId} ({Problem}); answering it with {Code}",
                saga.CommandId, saga.ContainerId, problem, StopFailureCode.NotRecorded);
            var fate = saga.OutcomeCode == ""
                ? $"container {saga.ContainerId} was stopped"
                : $"its outcome was {saga.OutcomeCode}: {saga.OutcomeReason}";
            var reason = $"failed to record the outcome of command {saga.CommandId} for container {saga.ContainerId}: {problem}; {fate}, but a repeat of the command would be carried out again";
            saga.RecordFailure(StopFailureCode.NotRecorded, reason, [reason, .. saga.OutcomeCauses]);
        }

        await next.Execute(context).ConfigureAwait(false);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<StopContainerState, StopContainer, TException> context, IBehavior<StopContainerState, StopContainer> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("record-outcome");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
