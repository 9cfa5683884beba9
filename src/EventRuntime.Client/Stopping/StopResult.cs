namespace EventRuntime.Client;

/// <summary>What became of one request of a batch: its outcome, or the error that kept it from one.</summary>
public sealed record StopResult
{
    /// <summary>The request this result belongs to.</summary>
    public required StopRequest Request { get; init; }

    /// <summary>The id the command was sent with; empty when sending failed before an id was chosen.</summary>
    public Guid CommandId { get; init; }

    /// <summary>The outcome event; null when <see cref="Error"/> says why there is none.</summary>
    public StopOutcome? Outcome { get; init; }

    /// <summary>Why there is no outcome: it did not come in time, or the command could not be sent.</summary>
    public string? Error { get; init; }

    /// <summary>The broker accepted the command. False with an <see cref="Error"/>: it never reached a node, so no outcome will come.</summary>
    public bool WasSent { get; init; }

    /// <summary>
    /// A fleet stop never sent it: the error threshold was passed first (<see cref="FleetStopRequest.MaxErrors"/>).
    /// Its <see cref="Error"/> says so; the container was left as it was.
    /// </summary>
    public bool WasSkipped { get; init; }

    /// <summary>The container is stopped.</summary>
    public bool IsStopped => Outcome?.IsStopped == true;

    /// <summary>How it ended, in one word: stopped, failed, no-outcome, send-failed or skipped.</summary>
    public string OutcomeName =>
        Outcome is { } outcome ? (outcome.IsStopped ? "stopped" : "failed")
        : WasSkipped ? "skipped"
        : WasSent ? "no-outcome"
        : "send-failed";
}
