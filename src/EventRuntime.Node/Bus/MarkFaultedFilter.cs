using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Stands where MassTransit's GenerateFaultFilter would in every error pipe of the agent (see
/// <see cref="UnpublishedFaults"/>): it records the failure on the receive context, which keeps the message
/// out of the skipped queue once it is in the error queue, but publishes or sends no ReceiveFault (a
/// least-privilege node may not declare its exchange).
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
