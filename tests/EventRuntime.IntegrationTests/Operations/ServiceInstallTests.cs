using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

// How the agent is installed and started: systemd's notify protocol, the unit file, the compose file,
// and what a bad setting does. Real processes and real tools throughout.
[Collection(BrokerCollection.Name)]
public sealed class ServiceInstallTests(RabbitMqBroker broker)
{
    // Microsoft.Extensions.Hosting.Systemd takes a process for a systemd service when its parent is named
    // "systemd"; the agent runs under a shell of that name, with the variables systemd would set.
    [Fact]
    public async Task Under_systemd_the_agent_says_READY_and_pets_the_watchdog()
    {
        await using var sandbox = new RuncSandbox();
        var socketPath = Path.Combine(sandbox.Root, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        await using var agent = new AgentProcess("notify-" + Guid.NewGuid().ToString("N")[..8], sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"))
        {
            ParentName = "systemd",
        };
        agent.Environment["NOTIFY_SOCKET"] = socketPath;
        agent.Environment["WATCHDOG_USEC"] = "1000000";
        agent.Environment["JOURNAL_STREAM"] = "8:12345";

        agent.Start();
        var messages = new List<string>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!messages.Any(m => m.Contains("WATCHDOG=1", StringComparison.Ordinal)))
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, received));
        }

        Assert.StartsWith("READY=1", messages[0], StringComparison.Ordinal);
        // Under the journal each line starts with its syslog priority, for journalctl -p.
        var lines = agent.Log().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("<6>[", StringComparison.Ordinal) && l.Contains($"Node agent {agent.Name} started", StringComparison.Ordinal));

        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        while (!messages.Any(m => m.Contains("STOPPING=1", StringComparison.Ordinal)))
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, received));
        }
    }

    [Fact]
    public async Task SIGTERM_lets_a_stop_in_flight_finish_and_then_the_agent_exits_cleanly()
    {
        await using var sandbox = new RuncSandbox();
        await using var plane = await ControlPlane.StartAsync(broker.AmqpUri);
        var node = "sigterm-" + Guid.NewGuid().ToString("N")[..8];
        await sandbox.StartAsync("slow", BusyboxRootfs.IgnoresTerm);
        await using var agent = new AgentProcess(node, sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"));
        agent.Start();
        await agent.WaitForLogAsync($"Node agent {node} started");

        var commandId = await plane.SendStopAsync(node, "slow", timeoutSeconds: 3);
        await agent.WaitForLogAsync("Stop step status of container slow"); // the 3 s grace period begins
        agent.Terminate();
        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        await plane.StoppedAsync(commandId, TimeSpan.FromSeconds(10));
        Assert.Equal(Node.Runtime.RuntimeStatus.Stopped, (await sandbox.StateAsync("slow")).Status);
        Assert.Contains("stopping: no new commands", agent.Log(), StringComparison.Ordinal);
        Assert.Contains("Stops in flight finished", agent.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_start_with_one_clear_line_each_and_no_stack_trace()
    {
        await using var sandbox = new RuncSandbox();
        await using var agent = new AgentProcess("bad-settings", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"),
            "--Stop:Concurrency=-4", "--state-dir", "/proc/eventruntime-cannot-be-here", "--Telemetry:Exporter=otpl");

        agent.Start();
        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        var lines = agent.Log().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("eventruntime-node: configuration: Stop:Concurrency must be between 1 and 4096", lines);
        Assert.Contains("eventruntime-node: configuration: Telemetry:Exporter \"otpl\" is not one of none, console, otlp", lines);
        Assert.Contains(lines, l => l.StartsWith("eventruntime-node: configuration: Node:StateDirectory /proc/eventruntime-cannot-be-here is not a writable directory: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_longest_stop_that_does_not_fit_in_the_broker_s_consumer_timeout_stops_the_start_with_one_line()
    {
        await using var sandbox = new RuncSandbox();
        await using var agent = new AgentProcess("short-ack", sandbox, broker.AmqpUri, Path.Combine(sandbox.Root, "agent.log"),
            "--RabbitMq:ConsumerTimeout=00:05:00");

        agent.Start();
        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        var lines = agent.Log().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The defaults: a 600 s grace period, 60 s of SIGKILL retries, 30 s to see "stopped".
        Assert.Contains("eventruntime-node: configuration: RabbitMq:ConsumerTimeout 00:05:00 (the broker's consumer_timeout) must exceed the longest stop, 00:11:30 " +
                        "(Stop:MaxTimeoutSeconds + Stop:KillDeadline + Stop:StateWaitDeadline): lower those, or raise consumer_timeout on the broker and here", lines);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_prints_the_usage_and_touches_nothing_and_an_unknown_option_exits_2()
    {
        var state = Path.Combine(Path.GetTempPath(), "eventruntime-help-" + Guid.NewGuid().ToString("N"));

        var (helpExit, help) = await RunAsync(AgentProcess.ExecutablePath, "--state-dir", state, "--help");
        var (unknownExit, unknown) = await RunAsync(AgentProcess.ExecutablePath, "--state-dir", state, "--verbose");

        Assert.True(helpExit == 0 && help.Contains("eventruntime-node create", StringComparison.Ordinal), help);
        Assert.Equal(2, unknownExit);
        Assert.Contains("eventruntime-node: unknown option --verbose", unknown, StringComparison.Ordinal);
        Assert.False(Directory.Exists(state), "asking for help created the state directory");
    }

    [Fact]
    public async Task The_systemd_unit_passes_systemd_analyze_verify()
    {
        var repo = Repository.Root;
        var unit = await File.ReadAllTextAsync(Path.Combine(repo, "infra", "systemd", "eventruntime-node.service"));
        // verify checks that ExecStart's binary exists: point it at the one the tests built.
        var directory = Directory.CreateTempSubdirectory("eventruntime-unit-").FullName;
        try
        {
            var path = Path.Combine(directory, "eventruntime-node.service");
            await File.WriteAllTextAsync(path, unit.Replace("/opt/eventruntime/node/eventruntime-node", AgentProcess.ExecutablePath, StringComparison.Ordinal));

            var (exitCode, output) = await RunAsync("systemd-analyze", "verify", path);

            Assert.True(exitCode == 0 && !output.Contains(path, StringComparison.Ordinal), output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_install_script_lays_out_a_self_contained_agent_the_unit_and_a_private_settings_file()
    {
        var root = Directory.CreateTempSubdirectory("eventruntime-install-").FullName;
        try
        {
            var script = Path.Combine(Repository.Root, "infra", "install-node.sh");
            var (exitCode, output) = await RunAsync("env", $"ROOT={root}", "NODE_NAME=node-7", "RABBITMQ_URL=amqp://node-7:pw-of-node-7@broker:5672/eventruntime", "bash", script);

            Assert.True(exitCode == 0, output);
            var agent = Path.Combine(root, "opt", "eventruntime", "node", "eventruntime-node");
            Assert.True(File.Exists(agent), output);
            Assert.True(File.Exists(Path.Combine(root, "opt", "eventruntime", "node", "host", "eventruntime-node")), output);
            Assert.True(File.Exists(Path.Combine(root, "etc", "systemd", "system", "eventruntime-node.service")));
            var settings = Path.Combine(root, "etc", "eventruntime", "node.env");
            Assert.Contains("EVENTRUNTIME_Node__Name=node-7", await File.ReadAllTextAsync(settings), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(settings));
            // The password is a credential file of its own, out of the environment file.
            Assert.Contains("EVENTRUNTIME_RabbitMq__Url=amqp://node-7@broker:5672/eventruntime", await File.ReadAllTextAsync(settings), StringComparison.Ordinal);
            Assert.DoesNotContain("pw-of-node-7", await File.ReadAllTextAsync(settings), StringComparison.Ordinal);
            var password = Path.Combine(root, "etc", "eventruntime", "credentials", "broker-password");
            Assert.Equal("pw-of-node-7\n", await File.ReadAllTextAsync(password));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(password));
            var (helpExit, help) = await RunAsync(agent, "help");
            Assert.True(helpExit == 0 && help.Contains("eventruntime-node create", StringComparison.Ordinal), help);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_compose_file_passes_docker_compose_config()
    {
        var (exitCode, output) = await RunAsync("docker-compose", "-f", Path.Combine(Repository.Root, "docker-compose.yml"), "config", "-q");

        Assert.True(exitCode == 0, output);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments) => ExternalTool.RunAsync(fileName, arguments);
}
