using EventRuntime.Contracts;
using EventRuntime.Node.Stopping;
using Xunit;

namespace EventRuntime.Node.Tests.Stopping;

public sealed class CommandExpiryTests
{
    private static readonly StopContainer Command = new() { CommandId = Guid.NewGuid(), Node = "n", ContainerId = "web", TimeoutSeconds = 10 };

    [Fact]
    public void A_sent_time_at_the_end_of_the_calendar_gives_no_age_instead_of_failing()
    {
        // Seen in a cluster storm: a delivery whose envelope carried such a time faulted on the arithmetic, into _error.
        var expiresAt = CommandExpiry.ExpiresAt(Command, DateTime.MaxValue, null, TimeSpan.FromMinutes(15));

        Assert.Null(expiresAt);
        Assert.Null(CommandExpiry.Problem(Command, expiresAt, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void The_earliest_of_expiresAt_expirationTime_and_sentTime_plus_the_maximum_age_wins()
    {
        var sent = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var command = Command with { ExpiresAt = new DateTimeOffset(sent.AddMinutes(30)) };

        Assert.Equal(new DateTimeOffset(sent.AddMinutes(15)), CommandExpiry.ExpiresAt(command, sent, null, TimeSpan.FromMinutes(15)));
        Assert.Equal(new DateTimeOffset(sent.AddMinutes(5)), CommandExpiry.ExpiresAt(command, sent, sent.AddMinutes(5), TimeSpan.FromMinutes(15)));
        Assert.Equal(new DateTimeOffset(sent.AddMinutes(30)), CommandExpiry.ExpiresAt(command, DateTime.MaxValue, null, TimeSpan.FromMinutes(15)));
    }
}
