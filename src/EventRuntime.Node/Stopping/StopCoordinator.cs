namespace EventRuntime.Node.Stopping;

/// <summary>One command's stop: which container (and instance), its grace period, and the drain inside it.</summary>
public sealed record StopRequest(Guid CommandId, string ContainerId, TimeSpan GracePeriod, bool ResumePaused, string? InstanceId = null, TimeSpan Drain = default);

/// <summary>
/// One stop loop per container, as CRI-O runs them: a command for a container that is already being
/// stopped joins that stop instead of starting a second one or waiting behind it. Its grace deadline
/// can only move the running stop's deadline earlier, and every joined command gets the same result.
/// A command whose resume-paused choice or instance differs waits for the running stop and then runs its own.
/// </summary>
public sealed class StopCoordinator(ContainerStopper stopper)
{
    private readonly Dictionary<string, RunningStop> running = new(StringComparer.Ordinal);

    /// <summary>Containers being stopped right now (commands that joined a running stop do not add to it).</summary>
    public int InFlight
    {
        get
        {
            lock (running)
            {
                return running.Count;
            }
        }
    }

    public async Task<StopResult> StopAsync(StopRequest request, CancellationToken cancellationToken)
    {
        var (containerId, gracePeriod, resumePaused) = (request.ContainerId, request.GracePeriod, request.ResumePaused);
        while (true)
        {
            RunningStop stop;
            lock (running)
            {
                if (!running.TryGetValue(containerId, out stop!))
                {
                    stop = new RunningStop(new StopOrder(containerId, GraceDeadline.After(gracePeriod), resumePaused)
                    {
                        CommandId = request.CommandId,
                        InstanceId = request.InstanceId,
                        Drain = request.Drain,
                    });
                    running[containerId] = stop;
                    // Started on the thread pool, not here: the stop's first steps (the store's read, a fast
                    // runtime, the state file's fsync) would otherwise run inside this lock and serialise every stop.
                    stop.Result = Task.Run(() => RunAsync(stop));
                }
                // A command that names another instance must not share this stop's result: its own stop checks it.
                else if (stop.Order.ResumePaused == resumePaused && stop.Order.InstanceId == request.InstanceId)
                {
                    stop.Order.Grace.MoveEarlier(DateTime.UtcNow + gracePeriod);
                }
                else
                {
                    stop = stop with { Joinable = false };
                }
            }

            if (stop.Joinable)
            {
                return await stop.Result.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            await stop.Result.ContinueWith(_ => { }, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task<StopResult> RunAsync(RunningStop stop)
    {
        try
        {
            // Not the caller's token: joined callers still want the result when the first one is cancelled.
            return await stopper.StopAsync(stop.Order, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            lock (running)
            {
                running.Remove(stop.Order.ContainerId);
            }
        }
    }

    private sealed record RunningStop(StopOrder Order)
    {
        public bool Joinable { get; init; } = true;

        public Task<StopResult> Result { get; set; } = null!;
    }
}
