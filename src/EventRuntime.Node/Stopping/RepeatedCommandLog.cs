using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// A command id that was answered already is ignored (no second stop, no second outcome), but not without a
/// trace when it names another container than the one it was answered for: a sender reusing ids would
/// otherwise lose that stop silently. It gets a warning naming both containers and a count.
/// </summary>
public sealed class RepeatedCommandLog(ILogger<RepeatedCommandLog> logger) : IStateMachineActivity<StopContainerState, StopContainer>
{
    public Task Execute(BehaviorContext<StopContainerState, StopContainer> context, IBehavior<StopContainerState, StopContainer> next)
    {
        var repeated = HostileText.Quoted(context.Message.ContainerId, ContainerId.MaxLength);
        if (!string.Equals(repeated, context.Saga.ContainerId, StringComparison.Ordinal))
        {
            NodeTelemetry.ReusedCommandIds.Add(1);
            logger.LogWarning("Command {CommandId} was answered for container {ContainerId}; a command with the same id names container {OtherContainerId}: ignored, send it with an id of its own",
                context.Saga.CommandId, context.Saga.ContainerId, repeated);
        }

        return next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<StopContainerState, StopContainer, TException> context, IBehavior<StopContainerState, StopContainer> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("repeated-command-log");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
