using EventRuntime.Node.CommandLine;

namespace EventRuntime.Node.Tests.CommandLine;

public sealed class NodeCommandLineTests
{
    // --help anywhere before "--" asks for the usage; it must never start an agent (issue 19, item 7).
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("agent", "--help")]
    [InlineData("create", "web", "--help")]
    [InlineData("list", "--help")]
    [InlineData("--node", "a", "--help")]
    public void Help_anywhere_asks_for_the_usage(params string[] args) => Assert.Equal("help", NodeCommandLine.Parse(args).Verb);

    [Fact]
    public void A_help_flag_after_the_separator_belongs_to_the_container_s_command()
    {
        var parsed = NodeCommandLine.Parse(["create", "web", "--rootfs", "/r", "--", "/bin/tool", "--help"]);

        Assert.Equal("create", parsed.Verb);
        Assert.Equal(["/bin/tool", "--help"], parsed.AfterSeparator());
    }

    [Theory]
    [InlineData("unknown option --nod; settings are given as --Section:Key=value (docs/configuration.md)", "--nod", "a")]
    [InlineData("unknown option --verbose; settings are given as --Section:Key=value (docs/configuration.md)", "agent", "--verbose")]
    [InlineData("unknown command frobnicate; see eventruntime-node --help", "frobnicate")]
    public void An_unknown_option_or_command_is_a_usage_error(string expected, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => NodeCommandLine.Parse(args));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Settings_pass_through_to_the_agent()
    {
        var parsed = NodeCommandLine.Parse(["--node", "a", "--RabbitMq:Url=amqp://x/", "--Stop:Concurrency", "8"]);

        Assert.Equal("agent", parsed.Verb);
        Assert.Equal("a", parsed.Settings["Node:Name"]);
        Assert.Equal(["--RabbitMq:Url=amqp://x/", "--Stop:Concurrency", "8"], parsed.Arguments);
    }

    [Fact]
    public void Create_s_runtime_by_name_is_its_own_choice_and_a_path_stays_the_node_s_runtime_binary()
    {
        var create = NodeCommandLine.Parse(["create", "web", "--runtime", "runsc", "--rootfs", "/r", "--", "/bin/sh"]);
        var elsewhere = NodeCommandLine.Parse(["list", "--runtime", "/usr/local/bin/runc"]);

        Assert.Equal("runsc", create.Option("--runtime"));
        Assert.False(create.Settings.ContainsKey("Runtime:Path"));
        Assert.Equal(["web"], create.Positionals("--rootfs", "--stop-signal", "--runtime"));
        Assert.Equal("/usr/local/bin/runc", elsewhere.Settings["Runtime:Path"]);
    }
}
