using EventRuntime.Contracts;
using EventRuntime.Node.Stopping;
using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Publishes a stop's events on the bus itself, not through the command's consume context: that one's outbox
/// holds messages until the consume ends, and <see cref="ContainerStopping"/> must leave before the signal.
/// </summary>
public sealed class BusStopEvents(IBus bus) : IStopEvents
{
    public Task StoppingAsync(ContainerStopping stopping, CancellationToken cancellationToken) => bus.Publish(stopping, cancellationToken);

    public Task ExitedAsync(ContainerExited exited, CancellationToken cancellationToken) => bus.Publish(exited, cancellationToken);
}
