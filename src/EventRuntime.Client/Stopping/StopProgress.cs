namespace EventRuntime.Client;

/// <summary>Where one request of a batch is.</summary>
public enum StopPhase
{
    /// <summary>The command is on the broker; the outcome is awaited.</summary>
    Sent,

    /// <summary>The outcome arrived, or the request ended with an error.</summary>
    Done,

    /// <summary>A fleet stop will not send it: the error threshold was passed (<see cref="FleetStopRequest.MaxErrors"/>).</summary>
    Skipped,
}

/// <summary>A request of a batch moved to <paramref name="Phase"/>.</summary>
/// <param name="Index">Its position in the batch.</param>
/// <param name="Request">The request.</param>
/// <param name="Phase">Where it is now.</param>
/// <param name="CommandId">The id it was sent with.</param>
/// <param name="Result">Its result, when <paramref name="Phase"/> is <see cref="StopPhase.Done"/> or <see cref="StopPhase.Skipped"/>.</param>
public sealed record StopProgress(int Index, StopRequest Request, StopPhase Phase, Guid CommandId, StopResult? Result = null);
