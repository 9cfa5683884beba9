namespace EventRuntime.Client;

/// <summary>What a fleet stop did: every target's result, the nodes whose containers it could not know, and the limits it ran with.</summary>
public sealed record FleetStopReport
{
    /// <summary>One result per target, in the order they were sent; skipped targets have <see cref="StopResult.WasSkipped"/>.</summary>
    public required IReadOnlyList<StopResult> Results { get; init; }

    /// <summary>
    /// Nodes asked by name, or (with none named) on the roster, that did not answer the inventory: their containers were
    /// not stopped, nor counted.
    /// </summary>
    public required IReadOnlyList<string> SilentNodes { get; init; }

    /// <summary>When the roster last heard each of <see cref="SilentNodes"/>; a node it never heard is absent.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> SilentLastHeard { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>Nodes that could not list their containers, with why: their containers were not stopped.</summary>
    public required IReadOnlyDictionary<string, string> NodeErrors { get; init; }

    /// <summary>The window the stops ran in, resolved against the number of targets.</summary>
    public required int MaxConcurrency { get; init; }

    /// <summary>The failures allowed, resolved against the number of targets; null without a limit.</summary>
    public required int? MaxErrors { get; init; }

    /// <summary>More stops failed than <see cref="MaxErrors"/> allows, so sending ended early.</summary>
    public bool ThresholdPassed => MaxErrors is { } allowed && Results.Count(result => result.WasSent && !result.IsStopped) > allowed;

    /// <summary>Every target stopped and every node asked answered.</summary>
    public bool AllStopped => SilentNodes.Count == 0 && NodeErrors.Count == 0 && Results.All(result => result.IsStopped);

    /// <summary>How many targets ended each way: "stopped", "failed" with its code, "no-outcome", "send-failed", "skipped".</summary>
    public IReadOnlyList<(string Outcome, string? Code, int Count)> Counts() =>
        [.. Results.GroupBy(result => (result.OutcomeName, result.Outcome?.Event.Code))
            .Select(group => (group.Key.OutcomeName, group.Key.Code, group.Count()))
            .OrderBy(count => count.OutcomeName, StringComparer.Ordinal)
            .ThenBy(count => count.Code, StringComparer.Ordinal)];
}
