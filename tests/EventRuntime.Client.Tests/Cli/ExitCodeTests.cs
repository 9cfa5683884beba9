using System.Net;
using System.Net.Sockets;
using EventRuntime.Client.Tests.Support;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Cli;

// Exit codes 2 (usage) and 3 (broker unreachable), and where ert finds the broker.
[Collection(BrokerCollection.Name)]
public sealed class ExitCodeTests(RabbitMqBroker broker)
{
    public static TheoryData<string, string[], string> UsageErrors => new()
    {
        { "no command", [], "Required command was not provided" },
        { "no --node", ["stop", "web"], "stopping containers by id needs exactly one --node" },
        { "two nodes for ids", ["stop", "web", "--node", "a,b"], "stopping containers by id needs exactly one --node" },
        { "no container", ["stop", "--node", "a"], "name the containers to stop, or select them with --selector" },
        { "selector without nodes", ["stop", "--selector", "app=web"], "--selector needs the nodes to stop on: --node N (repeatable) or --all-nodes" },
        { "selector and ids", ["stop", "web", "--selector", "app=web", "--all-nodes"], "--selector chooses the containers; do not name ids as well" },
        { "bad max concurrency", ["stop", "--selector", "app=web", "--all-nodes", "--max-concurrency", "many"], "--max-concurrency: \"many\" is not a number" },
        { "zero max concurrency", ["stop", "--selector", "app=web", "--all-nodes", "--max-concurrency", "0%"], "--max-concurrency must be 1 or more" },
        { "percent above 100", ["stop", "--selector", "app=web", "--all-nodes", "--max-errors", "150%"], "--max-errors: \"150%\" is not a number" },
        { "unreadable selector", ["ps", "--selector", "app=we b", "--rabbitmq", "amqp://guest:guest@127.0.0.1:1/"], "selector requirement \"app=we b\"" },
        { "unknown output", ["stop", "web", "--node", "a", "--output", "xml"], "Argument 'xml' not recognized" },
        { "negative timeout", ["stop", "web", "--node", "a", "--timeout", "-1"], "--timeout must be 0 or more" },
        { "timeout not a number", ["stop", "web", "--node", "a", "--timeout", "soon"], "soon" },
        { "unknown option", ["stop", "web", "--node", "a", "--force"], "--force" },
        { "unknown outcome filter", ["events", "--outcome", "maybe"], "Argument 'maybe' not recognized" },
        { "URL of another scheme", ["nodes", "--rabbitmq", "http://127.0.0.1:5672/"], "the scheme is http, not amqp or amqps" },
        { "not a URL", ["nodes", "--rabbitmq", "broker"], "'broker' is not a URL" },
        { "config file missing", ["nodes", "--config", "/nonexistent/ert.json"], "config file /nonexistent/ert.json does not exist" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Usage_errors_exit_2_with_a_message_and_no_stack_trace(string description, string[] arguments, string message)
    {
        var run = await Ert.RunAsync(arguments, TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 2, $"{description}: {run}");
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("ert: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("stop", "web", "--node", "a")]
    [InlineData("events", "--follow")]
    [InlineData("nodes")]
    public async Task An_unreachable_broker_exits_3_within_seconds_with_one_line(params string[] arguments)
    {
        var port = LoopbackPort.Free();

        var run = await Ert.RunAsync([.. arguments, "--rabbitmq", $"amqp://guest:secret@127.0.0.1:{port}/"], TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.InRange(run.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        var line = Assert.Single(run.StderrLines);
        Assert.Equal($"ert: cannot connect to RabbitMQ at amqp://guest@127.0.0.1:{port}/: Connection refused", line);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Wrong_credentials_exit_3_with_one_line_that_does_not_show_the_password()
    {
        var url = new UriBuilder(broker.AmqpUri) { UserName = "intruder", Password = "not-the-password" }.Uri;

        var run = await Ert.RunAsync(["stop", "web", "--node", "a", "--rabbitmq", url.ToString()], TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.InRange(run.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        var line = Assert.Single(run.StderrLines);
        Assert.Equal($"ert: cannot connect to RabbitMQ at amqp://intruder@{url.Host}:{url.Port}/: login refused (wrong user name or password)", line);
        Assert.DoesNotContain("not-the-password", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nodes")]
    [InlineData("stop", "web", "--node", "a")]
    public async Task A_virtual_host_that_does_not_exist_exits_3_and_says_so(params string[] arguments)
    {
        var url = new Uri(broker.AmqpUri, "/no-such-vhost");

        var run = await Ert.RunAsync([.. arguments, "--rabbitmq", url.ToString()], TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 3, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"ert: cannot connect to RabbitMQ at amqp://{broker.AmqpUri.UserInfo.Split(':')[0]}@", line, StringComparison.Ordinal);
        Assert.Contains("no-such-vhost", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_flag_comes_before_RABBITMQ_URL_which_comes_before_the_config_file()
    {
        var closed = $"amqp://guest:guest@127.0.0.1:{LoopbackPort.Free()}/";
        var config = Path.Combine(Directory.CreateTempSubdirectory("ert-config-").FullName, "config.json");
        await File.WriteAllTextAsync(config, $$"""{ "rabbitmq": "{{broker.AmqpUri}}" }""");
        // `events --wait 0` connects, listens for no time and exits 0: a reachable broker and nothing else.
        string[] connectOnly = ["events", "--wait", "0"];

        var fromFile = await Ert.RunAsync(connectOnly, environment: new Dictionary<string, string> { ["ERT_CONFIG"] = config });
        var envBeatsFile = await Ert.RunAsync(connectOnly, environment: new Dictionary<string, string> { ["ERT_CONFIG"] = config, ["RABBITMQ_URL"] = closed });
        var fromEnv = await Ert.RunAsync(connectOnly, environment: new Dictionary<string, string> { ["RABBITMQ_URL"] = broker.AmqpUri.ToString() });
        var flagBeatsEnv = await Ert.RunAsync([.. connectOnly, "--rabbitmq", closed], environment: new Dictionary<string, string> { ["RABBITMQ_URL"] = broker.AmqpUri.ToString() });
        var fromXdgConfig = await Ert.RunAsync(connectOnly, environment: new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = XdgHomeWith(config) });

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.True(envBeatsFile.ExitCode == 3, envBeatsFile.ToString());
        Assert.True(fromEnv.ExitCode == 0, fromEnv.ToString());
        Assert.True(flagBeatsEnv.ExitCode == 3, flagBeatsEnv.ToString());
        Assert.True(fromXdgConfig.ExitCode == 0, fromXdgConfig.ToString());
    }

    private static string XdgHomeWith(string config)
    {
        var home = Directory.CreateTempSubdirectory("ert-xdg-").FullName;
        Directory.CreateDirectory(Path.Combine(home, "ert"));
        File.Copy(config, Path.Combine(home, "ert", "config.json"));
        return home;
    }
}
