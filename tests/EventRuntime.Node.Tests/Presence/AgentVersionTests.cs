using EventRuntime.Node.Presence;

namespace EventRuntime.Node.Tests.Presence;

public sealed class AgentVersionTests
{
    [Theory]
    [InlineData("1.0.0+dedfb7077a60b1f32452243d2cb7e752ccc0d71b", "1.0.0+dedfb70")]
    [InlineData("1.2.3-beta.1+0123456789", "1.2.3-beta.1+0123456")]
    [InlineData("1.0.0+abc", "1.0.0+abc")]
    [InlineData("1.0.0", "1.0.0")]
    public void The_commit_hash_is_shortened_to_seven_characters(string informational, string expected) =>
        Assert.Equal(expected, AgentVersion.Shorten(informational));

    [Fact]
    public void The_agent_reports_the_version_it_was_built_with()
    {
        Assert.StartsWith("1.0.0", AgentVersion.Current, StringComparison.Ordinal);
        Assert.True(AgentVersion.Current.Length <= "1.0.0+".Length + 7, AgentVersion.Current);
    }
}
