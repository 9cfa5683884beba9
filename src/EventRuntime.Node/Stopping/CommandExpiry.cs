using System.Globalization;
using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// When a command stops being worth carrying out: the earliest of its own <c>expiresAt</c>, its envelope's
/// <c>expirationTime</c>, and its envelope's <c>sentTime</c> plus the node's <see cref="StopOptions.MaxCommandAge"/>.
/// A bare JSON body has no envelope, so without <c>expiresAt</c> it has no age.
/// </summary>
public static class CommandExpiry
{
    public static DateTimeOffset? ExpiresAt(StopContainer command, DateTime? sentTime, DateTime? expirationTime, TimeSpan maxAge)
    {
        DateTimeOffset? earliest = command.ExpiresAt;
        foreach (var candidate in new[] { Utc(expirationTime), Later(Utc(sentTime), maxAge) })
        {
            if (candidate is { } at && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        return earliest;
    }

    /// <summary>Null while the command is fresh at <paramref name="receivedAt"/>; otherwise the reason it expired.</summary>
    public static string? Problem(StopContainer command, DateTimeOffset? expiresAt, DateTimeOffset receivedAt) =>
        expiresAt is { } at && at <= receivedAt
            ? $"command {command.CommandId} for container {HostileText.Quoted(command.ContainerId, ContainerId.MaxLength)} expired at {Stamp(at)}, received at {Stamp(receivedAt)}"
            : null;

    // MassTransit's envelope times are UTC; one read without a kind is taken as UTC too, never as local time.
    private static DateTimeOffset? Utc(DateTime? time) =>
        time is not { } t ? null : new DateTimeOffset(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc));

    // A sent time within maxAge of the calendar's end (a sender's wrong clock, or a hostile envelope) cannot be aged:
    // the command then has no age, instead of failing its delivery on the arithmetic.
    private static DateTimeOffset? Later(DateTimeOffset? time, TimeSpan by) =>
        time is { } t && t <= DateTimeOffset.MaxValue - by ? t + by : null;

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
