using MassTransit;
using MassTransit.Context;

namespace EventRuntime.Node.Bus;

/// <summary>
/// A message read from the command queue, with the sender's FaultAddress and ResponseAddress ignored.
/// MassTransit sends a consumer's fault to those addresses whatever <c>PublishFaults</c> says, declaring
/// the named queue first; on the command queue the sender writes them, so a command naming a queue the
/// node may not touch made the broker refuse the declare and close the agent's channel, and the command
/// came back again and again while valid ones waited. Nothing is lost: senders learn of a command through
/// its outcome (published, never a response), and a message that fails for good is in the _error queue
/// with its reason.
/// </summary>
internal sealed class CommandConsumeContext(ConsumeContext context) : ConsumeContextProxy(context)
{
    public override Uri? FaultAddress => null;

    public override Uri? ResponseAddress => null;

    // The typed context MassTransit hands the saga must read its addresses from here, not from the context
    // the deserializer made, or a fault would still find the sender's address.
    public override bool TryGetMessage<T>(out ConsumeContext<T>? message)
        where T : class
    {
        if (base.TryGetMessage(out ConsumeContext<T>? read) && read is not null)
        {
            message = new MessageConsumeContext<T>(this, read.Message);
            return true;
        }

        message = null;
        return false;
    }
}
