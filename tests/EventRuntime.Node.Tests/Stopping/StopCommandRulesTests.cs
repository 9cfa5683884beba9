using EventRuntime.Contracts;
using EventRuntime.Node.Stopping;

namespace EventRuntime.Node.Tests.Stopping;

public sealed class StopCommandRulesTests
{
    private static StopContainer Command(string? node = "node-a", string? containerId = "fz-web", int timeoutSeconds = 10) => new()
    {
        CommandId = Guid.NewGuid(),
        Node = node!,
        ContainerId = containerId!,
        TimeoutSeconds = timeoutSeconds,
    };

    [Fact]
    public void A_valid_command_for_this_node_passes() => Assert.Null(StopCommandRules.Problem(Command(), "node-a"));

    public static TheoryData<string, string?> OtherNodes => new()
    {
        { "another node", "node-b" },
        { "same name in another case", "NODE-A" },
        { "a prefix of this node", "node-" },
        { "this node with a trailing space", "node-a " },
        { "empty", "" },
        { "missing", null },
    };

    [Theory]
    [MemberData(nameof(OtherNodes))]
    public void A_command_addressed_to_another_node_is_refused(string description, string? node)
    {
        var problem = StopCommandRules.Problem(Command(node: node), "node-a");

        Assert.True(problem is not null, description);
        Assert.StartsWith("invalid command: it is addressed to node", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_node_name_is_echoed_without_control_characters()
    {
        var problem = StopCommandRules.Problem(Command(node: "evil\n\u001b[2Jnode"), "node-a");

        Assert.NotNull(problem);
        Assert.DoesNotContain('\n', problem);
        Assert.DoesNotContain('\u001b', problem);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_negative_timeout_is_refused(int timeoutSeconds) =>
        Assert.Contains($"timeoutSeconds is {timeoutSeconds}", StopCommandRules.Problem(Command(timeoutSeconds: timeoutSeconds), "node-a"), StringComparison.Ordinal);

    [Fact]
    public void A_huge_timeout_is_accepted_and_left_to_the_clamp() =>
        Assert.Null(StopCommandRules.Problem(Command(timeoutSeconds: int.MaxValue), "node-a"));
}
