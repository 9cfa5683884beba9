using EventRuntime.Contracts;

namespace EventRuntime.Node.Tests.Contracts;

// The selector both ert and the agents read: what it matches, and what it refuses.
public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> WebFront = new() { ["app"] = "web", ["tier"] = "front" };

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "empty selects everything", "", true },
        { "equal", "app=web", true },
        { "equal, other value", "app=db", false },
        { "double equals", "app==web", true },
        { "not equal", "tier!=back", true },
        { "not equal, same value", "tier!=front", false },
        { "not equal, key absent", "zone!=a", true },
        { "present", "tier", true },
        { "present, absent key", "zone", false },
        { "absent", "!zone", true },
        { "absent, present key", "!app", false },
        { "all must hold", "app=web,tier!=front", false },
        { "spaces around requirements", " app=web , tier=front ", true },
        { "empty value", "app=", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_selector_matches_when_every_requirement_holds(string description, string selector, bool matches)
    {
        Assert.True(LabelSelector.Parse(selector).Matches(WebFront) == matches, description);
    }

    [Theory]
    [InlineData("app=we b")]
    [InlineData("=web")]
    [InlineData("app=web,")]
    [InlineData("a\u0000pp=web")]
    [InlineData("-app=web")]
    public void A_selector_that_is_none_is_refused_with_a_reason(string selector)
    {
        var error = Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

        Assert.StartsWith("selector requirement", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_selector_reads_back_as_it_is_written()
    {
        Assert.Equal("app=web,tier!=db,zone,!canary", LabelSelector.Parse("app=web, tier!=db,zone,!canary").ToString());
    }

    [Fact]
    public void Labels_refuse_a_key_given_twice_and_too_many_labels()
    {
        Assert.Contains("given twice", Assert.Throws<FormatException>(() => Labels.Parse(["a=1", "a=2"])).Message, StringComparison.Ordinal);
        Assert.Contains("at most 64", Assert.Throws<FormatException>(() => Labels.Parse(Enumerable.Range(0, 65).Select(i => $"k{i}=v"))).Message, StringComparison.Ordinal);
    }
}
