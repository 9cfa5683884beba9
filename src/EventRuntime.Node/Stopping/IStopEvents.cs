using EventRuntime.Contracts;

namespace EventRuntime.Node.Stopping;

/// <summary>The events a stop publishes while it runs, before its outcome (which leaves with the saga's outbox).</summary>
public interface IStopEvents
{
    Task StoppingAsync(ContainerStopping stopping, CancellationToken cancellationToken);

    Task ExitedAsync(ContainerExited exited, CancellationToken cancellationToken);
}
