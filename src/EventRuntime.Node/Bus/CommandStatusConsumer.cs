using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Sagas;
using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Answers <see cref="GetCommandStatus"/> on the command queue from the agent's own records: a command
/// whose delivery it holds is pending or stopping; an answered one is stopped or failed, with its outcome,
/// for as long as the saga database remembers it; anything else is unknown.
/// </summary>
public sealed class CommandStatusConsumer(InFlightCommands inFlight, SagaDatabase database, IOptions<NodeOptions> node) : IConsumer<GetCommandStatus>
{
    private static readonly string RequestUrn = MessageUrn.ForTypeString<GetCommandStatus>();

    public async Task Consume(ConsumeContext<GetCommandStatus> context)
    {
        // The raw-JSON reader hands a bare body to every consumer of the queue: only a request that says what it is counts.
        if (!context.SupportedMessageTypes.Contains(RequestUrn))
        {
            return;
        }

        var request = context.Message;
        var answer = new CommandStatus { RequestId = request.RequestId, Node = node.Value.Name, CommandId = request.CommandId };
        if (!string.Equals(request.Node, node.Value.Name, StringComparison.Ordinal))
        {
            answer = answer with { Reason = $"the request is addressed to node \"{HostileText.Quoted(request.Node, 64)}\" but reached node \"{node.Value.Name}\"" };
        }
        else if (inFlight.PhaseOf(request.CommandId) is { } phase)
        {
            answer = answer with { Status = phase };
        }
        else if (request.CommandId != Guid.Empty
                 && await database.ReadAsync(t => t.LoadAsync(request.CommandId, context.CancellationToken), context.CancellationToken).ConfigureAwait(false) is { } saga)
        {
            var stopped = saga.OutcomeCode == "";
            answer = answer with
            {
                Status = stopped ? CommandStatus.Stopped : CommandStatus.Failed,
                ContainerId = saga.ContainerId,
                InstanceId = saga.InstanceId,
                Code = stopped ? null : saga.OutcomeCode,
                Reason = stopped ? null : saga.OutcomeReason,
                OutcomeAt = saga.OutcomeAt,
            };
        }

        await context.Publish(answer, context.CancellationToken).ConfigureAwait(false);
    }
}
