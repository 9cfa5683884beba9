using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;

namespace EventRuntime.Node.Tests.Containers;

public sealed class ContainerIdTests
{
    public static TheoryData<string, string> Invalid => new()
    {
        { "path traversal", "../x" },
        { "separator", "a/b" },
        { "space", "a b" },
        { "empty", "" },
        { "10 kB", new string('a', 10_240) },
        { "option injection", "--root=/" },
        { "leading dot", ".hidden" },
        { "leading dash", "-x" },
        { "newline", "a\nb" },
        { "non-ascii", "contäiner" },
        { "129 characters", new string('a', 129) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Refuses_invalid_ids(string description, string id)
    {
        Assert.True(ContainerId.Problem(id) is not null, description);
        Assert.Throws<ArgumentException>(() => ContainerId.Validate(id));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("a")]
    [InlineData("Web-1.2_x")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Accepts_valid_ids(string id) => Assert.Null(ContainerId.Problem(id));

    [Fact]
    public void Accepts_exactly_128_characters() => Assert.Null(ContainerId.Problem(new string('a', 128)));

    [Fact]
    public void The_problem_names_the_rule() =>
        Assert.Contains("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}", ContainerId.Problem("../x"), StringComparison.Ordinal);
}
