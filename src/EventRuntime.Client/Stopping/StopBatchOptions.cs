namespace EventRuntime.Client;

/// <summary>How a batch of stops runs.</summary>
public sealed record StopBatchOptions
{
    /// <summary>Stops awaiting their outcome at the same time; the rest wait for a free place before they are sent.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>
    /// Called when a request is sent and when it is done, from whichever thread got there; keep it short
    /// and thread-safe. It sees every request's progress, so a caller can draw a line per container.
    /// </summary>
    public Action<StopProgress>? OnProgress { get; init; }
}
