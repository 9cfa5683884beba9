using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>Stops over the client's bus (<see cref="ClientTransport.Bus"/>): the connection that fails over between cluster nodes and resends on fresh channels.</summary>
internal sealed class BusStopConnection(IBusControl bus, CommandSender sender, ConnectionTimings timings) : IStopConnection
{
    public IBusControl Bus => bus;

    public ConnectionTimings Timings => timings;

    public long Resends => sender.Resends;

    public Task SendAsync(StopContainer command, CancellationToken cancellationToken) => sender.SendAsync(bus, command, cancellationToken);

    public async ValueTask DisposeAsync() => await ClientBus.StopQuietlyAsync(bus).ConfigureAwait(false);
}
