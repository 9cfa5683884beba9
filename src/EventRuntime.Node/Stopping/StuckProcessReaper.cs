using System.Collections.Concurrent;
using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Goes on sending SIGKILL, with backoff, to the process of a container whose stop was answered Stuck, until
/// it dies (then <see cref="ContainerExited"/> is published) or the agent stops. A later stop of the
/// container joins the watch instead of starting its own kills. CRI-O retries silently for ever; ECS calls
/// the task stopped anyway; this says Stuck and keeps trying.
/// </summary>
public sealed class StuckProcessReaper(RuntimeCatalog runtimes, IStopEvents events, IOptions<NodeOptions> node, ILogger<StuckProcessReaper> logger) : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Task> watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();

    /// <summary>The watch of <paramref name="containerId"/>'s stuck process, which completes when it dies; null when none runs.</summary>
    public Task? ExitOf(string containerId) => watched.TryGetValue(containerId, out var exit) && !exit.IsCompleted ? exit : null;

    public void Watch(ContainerRecord container, ProcessStuckException stuck, Guid commandId) =>
        watched.AddOrUpdate(container.Id, _ => Task.Run(() => KillUntilGoneAsync(container, stuck, commandId)), (_, running) => running);

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task KillUntilGoneAsync(ContainerRecord container, ProcessStuckException stuck, Guid commandId)
    {
        var token = stopping.Token;
        try
        {
            for (var retry = FirstRetry; !ProcessWatch.HasExited(stuck.Pid); retry = retry * 2 < LongestRetry ? retry * 2 : LongestRetry)
            {
                await Task.Delay(retry, token).ConfigureAwait(false);
                try
                {
                    // The runtime that created it: a runsc container is killed inside its sandbox.
                    await runtimes.For(container.Runtime).KillAsync(container.Id, Signals.Kill, all: true, token).ConfigureAwait(false);
                }
                catch (RuntimeException e) when (e.Kind is RuntimeErrorKind.NotFound or RuntimeErrorKind.NotRunning)
                {
                    break;
                }
                catch (RuntimeException e)
                {
                    logger.LogWarning("SIGKILL to stuck container {ContainerId} failed again: {Reason}", container.Id, e.Message);
                }
            }

            var resisted = DateTime.UtcNow - stuck.FirstKillAt;
            logger.LogWarning("The stuck process {Pid} of container {ContainerId} died {ResistedSeconds:0.#} s after the first SIGKILL", stuck.Pid, container.Id, resisted.TotalSeconds);
            await events.ExitedAsync(new ContainerExited
            {
                CommandId = commandId,
                Node = node.Value.Name,
                ContainerId = container.Id,
                InstanceId = container.InstanceId,
                ExitedAt = DateTimeOffset.UtcNow,
                ResistedSeconds = resisted.TotalSeconds,
            }, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The agent stops; the next one's stop of the container will find the process, or find it gone.
        }
        catch (Exception e)
        {
            logger.LogError(e, "The watch of stuck container {ContainerId} failed", container.Id);
        }
        finally
        {
            watched.TryRemove(container.Id, out _);
        }
    }
}
