namespace EventRuntime.Client;

/// <summary>A stop of every container of the fleet that matches a selector, in a window, until too many fail.</summary>
public sealed record FleetStopRequest
{
    /// <summary>The nodes and the selector that name the targets, and how long to wait for the inventory's answers.</summary>
    public required FleetQuery Targets { get; init; }

    /// <summary>Grace period between the stop signal and SIGKILL, for every target.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Resume-paused, drain and outcome wait for every target; each target's instance id is set from the inventory.</summary>
    public StopCommandOptions? Options { get; init; }

    /// <summary>Stops awaiting their outcome at once (a number, or a percentage of the targets, at least one).</summary>
    public FleetLimit MaxConcurrency { get; init; } = FleetLimit.Count(16);

    /// <summary>
    /// Failures allowed before no further stop is sent (null: no limit). With 1, the second failure ends the
    /// sending; the stops already sent still get their outcome, and the rest are reported skipped.
    /// </summary>
    public FleetLimit? MaxErrors { get; init; }

    /// <summary>Called once with the targets, in the order they are sent, before the first is sent.</summary>
    public Action<IReadOnlyList<StopRequest>>? OnTargets { get; init; }

    /// <summary>Called when a target is sent, done or skipped (<see cref="StopBatchOptions.OnProgress"/>).</summary>
    public Action<StopProgress>? OnProgress { get; init; }
}
