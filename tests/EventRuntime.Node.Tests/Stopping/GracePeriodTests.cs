using EventRuntime.Node.Stopping;

namespace EventRuntime.Node.Tests.Stopping;

public sealed class GracePeriodTests
{
    public static TheoryData<string, int, int, int, bool> Cases => new()
    {
        { "zero kills at once", 0, 600, 0, false },
        { "within the bound is kept", 30, 600, 30, false },
        { "the bound itself is kept", 600, 600, 600, false },
        { "one above the bound is clamped", 601, 600, 600, true },
        { "int.MaxValue is clamped", int.MaxValue, 600, 600, true },
        { "a bound of 0 makes every stop a kill", 10, 0, 0, true },
        { "negative (refused earlier) never becomes a wait", -5, 600, 0, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Timeouts_are_clamped_to_the_configured_bound(string description, int requested, int max, int expectedSeconds, bool clamped)
    {
        var grace = GracePeriod.Of(requested, max);

        Assert.True(TimeSpan.FromSeconds(expectedSeconds) == grace.Period, $"{description}: {grace.Period}");
        Assert.True(clamped == grace.Clamped, description);
        Assert.Equal(requested, grace.RequestedSeconds);
    }
}
