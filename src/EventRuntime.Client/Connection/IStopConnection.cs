using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>What a stop needs of the broker: a command sent to its node's exchange, and the outcomes coming back (to the callback it was opened with).</summary>
internal interface IStopConnection : IAsyncDisposable
{
    /// <summary>How long opening it took.</summary>
    ConnectionTimings Timings { get; }

    /// <summary>Commands sent again on a fresh channel so far.</summary>
    long Resends { get; }

    /// <summary>Sends <paramref name="command"/>, confirmed by the broker; <see cref="MassTransit.MessageReturnedException"/> when no queue is bound to the node's exchange.</summary>
    Task SendAsync(StopContainer command, CancellationToken cancellationToken);
}
