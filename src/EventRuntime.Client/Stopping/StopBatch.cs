namespace EventRuntime.Client;

/// <summary>Runs a batch of stops with at most N awaiting their outcome at once, and reports each request's progress.</summary>
internal static class StopBatch
{
    /// <summary>Sends one request, reports it as sent through the callback, and waits for its outcome.</summary>
    public delegate Task<StopOutcome> StopOne(StopRequest request, Guid commandId, Action onSent, CancellationToken cancellationToken);

    public static async Task<IReadOnlyList<StopResult>> RunAsync(
        IReadOnlyList<StopRequest> requests, StopBatchOptions options, StopOne stop, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1, nameof(options.MaxConcurrency));
        var results = new StopResult[requests.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), parallel, async (index, token) =>
        {
            var request = requests[index];
            var commandId = request.Options?.CommandId ?? Guid.NewGuid();
            var result = await RunOneAsync(request, commandId, () => options.OnProgress?.Invoke(new StopProgress(index, request, StopPhase.Sent, commandId)), stop, token)
                .ConfigureAwait(false);
            results[index] = result;
            options.OnProgress?.Invoke(new StopProgress(index, request, StopPhase.Done, commandId, result));
        }).ConfigureAwait(false);
        return results;
    }

    internal static async Task<StopResult> RunOneAsync(StopRequest request, Guid commandId, Action onSent, StopOne stop, CancellationToken cancellationToken)
    {
        var sent = false;
        try
        {
            var outcome = await stop(request, commandId, () =>
            {
                sent = true;
                onSent();
            }, cancellationToken).ConfigureAwait(false);
            return new StopResult { Request = request, CommandId = commandId, Outcome = outcome, WasSent = true };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One request's trouble (no outcome in time, a bad argument, a failed send) is its own result, not the batch's.
            return new StopResult { Request = request, CommandId = commandId, Error = e.Message, WasSent = sent };
        }
    }
}
