using MassTransit;
using MassTransit.Middleware;

namespace EventRuntime.Node.Bus;

/// <summary>
/// How the agent's command queue ends a message that failed all its retries: in its _error queue
/// with the exception in its headers (MT-Fault-Message and the rest), and with no Fault or ReceiveFault
/// published. A least-privilege node user may not declare MassTransit's fault exchanges
/// (<c>MassTransit:Fault--…</c>, <c>MassTransit:ReceiveFault</c>): the broker answers ACCESS_REFUSED and
/// closes the channel the agent also publishes outcomes and heartbeats on, and the failed message stays
/// unacknowledged and is tried again and again instead of reaching the error queue.
/// </summary>
/// <remarks>
/// MassTransit 8.5 makes faults in two places, so both are closed:
/// <list type="bullet">
/// <item>A saga that throws: the consume context makes a Fault&lt;T&gt; whatever the error pipe is. It is
/// published unless the endpoint's <c>PublishFaults</c> is false, and sent to the message's FaultAddress or
/// ResponseAddress when it has one, which <see cref="CommandConsumeContext"/> hides.</item>
/// <item>A message that no consumer could even read: the default error pipe's GenerateFaultFilter would
/// publish (or send) a ReceiveFault. <see cref="MarkFaultedFilter"/> takes its place.</item>
/// </list>
/// </remarks>
internal static class UnpublishedFaults
{
    /// <param name="endpoint">The receive endpoint.</param>
    /// <param name="first">Filters that see a failed message before it goes to the error queue, e.g. to answer it.</param>
    public static void Configure(IReceiveEndpointConfigurator endpoint, params IFilter<ExceptionReceiveContext>[] first)
    {
        endpoint.PublishFaults = false;
        endpoint.ConfigureError(error =>
        {
            foreach (var filter in first)
            {
                error.UseFilter(filter);
            }

            error.UseFilter(new MarkFaultedFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
    }
}
