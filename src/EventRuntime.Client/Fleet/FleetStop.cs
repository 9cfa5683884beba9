namespace EventRuntime.Client;

/// <summary>
/// Runs a fleet stop over targets already resolved: at most the window's number of stops awaiting their outcome,
/// the next one sent only when a place is free and the failures so far are within the error threshold. The
/// threshold is checked after a place is free, so a failure that frees a place is counted before the next send.
/// </summary>
internal static class FleetStop
{
    public static async Task<StopResult[]> RunAsync(
        IReadOnlyList<StopRequest> targets, int concurrency, int? maxErrors, Action<StopProgress>? onProgress, StopBatch.StopOne stop, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var results = new StopResult[targets.Count];
        var failures = 0;
        using var window = new SemaphoreSlim(concurrency, concurrency);
        var running = new List<Task>();
        for (var index = 0; index < targets.Count; index++)
        {
            await window.WaitAsync(cancellationToken).ConfigureAwait(false);
            var request = targets[index];
            if (maxErrors is { } allowed && Volatile.Read(ref failures) > allowed)
            {
                window.Release();
                results[index] = new StopResult
                {
                    Request = request,
                    WasSkipped = true,
                    Error = $"not sent: {Volatile.Read(ref failures)} stops failed, more than the {allowed} allowed",
                };
                onProgress?.Invoke(new StopProgress(index, request, StopPhase.Skipped, Guid.Empty, results[index]));
                continue;
            }

            var slot = index;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    var commandId = request.Options?.CommandId ?? Guid.NewGuid();
                    var result = await StopBatch.RunOneAsync(request, commandId,
                        () => onProgress?.Invoke(new StopProgress(slot, request, StopPhase.Sent, commandId)), stop, cancellationToken).ConfigureAwait(false);
                    if (!result.IsStopped)
                    {
                        Interlocked.Increment(ref failures);
                    }

                    results[slot] = result;
                    onProgress?.Invoke(new StopProgress(slot, request, StopPhase.Done, commandId, result));
                }
                finally
                {
                    window.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        return results;
    }
}
