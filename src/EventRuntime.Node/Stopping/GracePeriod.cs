namespace EventRuntime.Node.Stopping;

/// <summary>
/// The grace period a command gets. A sender may ask for any int; the node holds the command's message
/// unacknowledged for the whole grace period, so it is capped by <c>Stop:MaxTimeoutSeconds</c>, far below
/// RabbitMQ's consumer_timeout, which would otherwise close the channel under the stop.
/// </summary>
public readonly record struct GracePeriod(TimeSpan Period, int RequestedSeconds, bool Clamped)
{
    /// <summary>Negative requests are refused before this (StopCommandRules); here they would mean "kill now".</summary>
    public static GracePeriod Of(int timeoutSeconds, int maxTimeoutSeconds)
    {
        var seconds = Math.Clamp(timeoutSeconds, 0, Math.Max(0, maxTimeoutSeconds));
        return new GracePeriod(TimeSpan.FromSeconds(seconds), timeoutSeconds, seconds < timeoutSeconds);
    }
}
