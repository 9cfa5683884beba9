using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Stands where MassTransit's GenerateFaultFilter would in the command queue's error pipe: it records the
/// failure on the receive context, which keeps the message out of the skipped queue once it is in the
/// error queue, but publishes no Fault or ReceiveFault (a least-privilege node may not declare their exchanges).
/// </summary>
public sealed class MarkFaultedFilter : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (!context.IsFaulted)
        {
            await context.NotifyFaulted(context.Exception).ConfigureAwait(false);
        }

        await next.Send(context).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("markFaulted");
}
