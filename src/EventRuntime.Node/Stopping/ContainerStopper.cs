using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// What a stop asks for: the container, when its grace period ends, whether a paused container may be
/// resumed, the instance it must be (when the command named one), and how long to drain before the signal.
/// </summary>
public sealed record StopOrder(string ContainerId, GraceDeadline Grace, bool ResumePaused)
{
    /// <summary>The command the stop was started for, named in <see cref="Contracts.ContainerStopping"/>.</summary>
    public Guid CommandId { get; init; }

    public string? InstanceId { get; init; }

    public TimeSpan Drain { get; init; }
}

/// <summary>The container is stopped, its storage unmounted and its state written.</summary>
public sealed record StopResult(int? ExitCode, DateTimeOffset StoppedAt, string? InstanceId = null);

/// <summary>
/// CRI-O's ContainerStop (shared/seed/stop.go.txt), step by step: look the container up, check it is the
/// instance the command meant and its status, announce the stop and drain, stop it, wait for the runtime
/// to say "stopped", unmount, write its state. Every failing step
/// throws a <see cref="StopFailure"/> that wraps its cause with what was being done and to which container.
/// </summary>
public sealed class ContainerStopper(
    ContainerStore store,
    RuntimeCatalog runtimes,
    IContainerStorage storage,
    IOptions<StopOptions> options,
    StopAnnouncer announcer,
    StuckProcessReaper reaper,
    ILogger<ContainerStopper> logger)
{
    private readonly StopStepLog steps = new(logger);
    private readonly ExitCodeReader exitCodes = new(logger);

    public async Task<StopResult> StopAsync(StopOrder order, CancellationToken cancellationToken)
    {
        var container = steps.Time("lookup", order.ContainerId, () => Lookup(order.ContainerId));
        try
        {
            return await StopFoundAsync(container, order, cancellationToken).ConfigureAwait(false);
        }
        catch (StopFailure failure)
        {
            failure.InstanceId ??= container.InstanceId;
            throw;
        }
    }

    private async Task<StopResult> StopFoundAsync(ContainerRecord container, StopOrder order, CancellationToken cancellationToken)
    {
        var id = container.Id;
        // Before anything else: a container deleted and created again under this id is not the one the command meant.
        if (order.InstanceId is { } wanted && wanted != container.InstanceId)
        {
            throw new StopFailure(StopFailureCode.InstanceMismatch, container.InstanceId is null
                ? $"cannot stop container {id}: the command names instance {wanted}, and this container has no instance id (it was created before instance ids)"
                : $"cannot stop container {id}: the command names instance {wanted}, but the container is instance {container.InstanceId} (it was created again since)");
        }

        // Each container is stopped by the runtime that created it (runc, or runsc's sandbox).
        var runtime = runtimes.For(container.Runtime);
        var state = await steps.TimeAsync("status", id, () => StatusAsync(runtime, container, cancellationToken)).ConfigureAwait(false);

        if (state.Status == RuntimeStatus.Paused)
        {
            // Frozen processes receive no signals; resuming is a policy the caller must ask for.
            if (!order.ResumePaused)
            {
                throw new StopFailure(StopFailureCode.Paused, $"cannot stop paused container {id}");
            }

            await steps.TimeAsync("resume", id, () => Wrap(StopFailureCode.StopFailed, $"failed to resume paused container {id}",
                () => runtime.ResumeAsync(id, cancellationToken))).ConfigureAwait(false);
        }

        // Already stopped: stop is idempotent (CRI), so no runtime call, but storage is still released.
        var exit = ExitWatch.For(container, state.Pid);
        if (!state.IsStopped)
        {
            if (reaper.ExitOf(id) is { } stuck)
            {
                await steps.TimeAsync("stop", id, () => JoinStuckAsync(id, stuck, order, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await steps.TimeAsync("drain", id, () => announcer.AnnounceAsync(container, order, cancellationToken)).ConfigureAwait(false);
                await steps.TimeAsync("stop", id, () => KillAsync(runtime, container, state.Pid, exit, order, cancellationToken)).ConfigureAwait(false);
            }

            await steps.TimeAsync("wait-stopped", id, () => Wrap(StopFailureCode.StateWaitTimedOut, $"failed to get container 'stopped' status {id}",
                () => new StoppedStateWaiter(runtime, options.Value).WaitAsync(id, cancellationToken))).ConfigureAwait(false);
        }

        var stoppedAt = DateTimeOffset.UtcNow;
        // conmon writes the exit file a moment after the init is gone: the storage is unmounted meanwhile.
        var exitCodeRead = exitCodes.ReadAsync(container, cancellationToken);
        var unmountFailure = TryUnmount(id);
        var exitCode = await steps.TimeAsync("exit-code", id, () => exitCodeRead).ConfigureAwait(false);
        var stopped = container with { Status = ContainerStatus.Stopped, ExitCode = exitCode, FinishedAt = stoppedAt };
        if (unmountFailure is not null)
        {
            NodeTelemetry.UnmountFailures.Add(1);
            // Record the truth before failing: the process is gone, the storage is still held.
            TryPersist(stopped with { StorageMounted = true });
            throw new StopFailure(StopFailureCode.UnmountFailed, $"failed to unmount container {id}", unmountFailure);
        }

        // State goes to disk last, so the file never says stopped while the storage is still held.
        steps.Time("persist", id, () => Persist(stopped with { StorageMounted = false }));
        return new StopResult(exitCode, stoppedAt, container.InstanceId);
    }

    private async Task KillAsync(IOciRuntime runtime, ContainerRecord container, int pid, IExitWatch exit, StopOrder order, CancellationToken cancellationToken)
    {
        try
        {
            await Wrap(StopFailureCode.StopFailed, $"failed to stop container {container.Id}",
                () => new ProcessStopper(runtime, options.Value).StopAsync(container.Id, pid, exit, container.StopSignal, order.Grace, cancellationToken)).ConfigureAwait(false);
        }
        catch (ProcessStuckException stuck)
        {
            reaper.Watch(container, stuck, order.CommandId);
            throw new StopFailure(StopFailureCode.Stuck, $"failed to stop container {container.Id}: {stuck.Message}; SIGKILL is retried in the background");
        }
    }

    // A process answered Stuck before: the background kills go on, and this stop waits for them as long as its own would have tried.
    private async Task JoinStuckAsync(string id, Task exit, StopOrder order, CancellationToken cancellationToken)
    {
        var wait = order.Grace.EndsAtUtc - DateTime.UtcNow + options.Value.KillDeadline;
        try
        {
            await exit.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StopFailure(StopFailureCode.Stuck,
                $"failed to stop container {id}: its process is still stuck after an earlier stop's SIGKILLs, and {wait.TotalSeconds:0.###} s more of them; SIGKILL is retried in the background");
        }
    }

    private ContainerRecord Lookup(string id)
    {
        try
        {
            return store.Get(id);
        }
        catch (Exception e) when (e is ContainerNotFoundException or ContainerStoreException)
        {
            throw new StopFailure(StopFailureCode.NotFound, $"failed to find container {id}", e);
        }
    }

    private async Task<RuntimeState> StatusAsync(IOciRuntime runtime, ContainerRecord container, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.StateAsync(container.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeException e) when (e.Kind == RuntimeErrorKind.NotFound)
        {
            // Known to us but not to the runtime (its state lives on tmpfs and a reboot clears it):
            // nothing can be running, so the stop goes on to release storage and record the truth.
            logger.LogInformation("Container {ContainerId} is unknown to {Runtime}; treating it as stopped", container.Id, runtime.Name);
            return new RuntimeState(container.Id, RuntimeStatus.Stopped, 0, container.Bundle);
        }
        catch (RuntimeException e)
        {
            throw new StopFailure(StopFailureCode.StopFailed, $"failed to get status of container {container.Id}", e);
        }
    }

    // The unmount's failure, or null; the caller records the truth (with the exit code) before failing.
    private StorageException? TryUnmount(string id)
    {
        try
        {
            steps.Time("unmount", id, () => storage.Unmount(id));
            return null;
        }
        catch (StorageException e)
        {
            return e;
        }
    }

    private void Persist(ContainerRecord record)
    {
        try
        {
            store.Save(record);
        }
        catch (ContainerStoreException e)
        {
            throw new StopFailure(StopFailureCode.StatePersistFailed, $"failed to write state of container {record.Id}", e);
        }
    }

    private void TryPersist(ContainerRecord record)
    {
        try
        {
            store.Save(record);
        }
        catch (ContainerStoreException e)
        {
            logger.LogWarning(e, "Could not record the state of container {ContainerId}", record.Id);
        }
    }

    private static async Task Wrap(string code, string context, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeException or TimeoutException)
        {
            throw new StopFailure(code, context, e);
        }
    }
}
