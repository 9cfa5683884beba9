using EventRuntime.Client.Tests.Support;
using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests.Cli;

// `ert stop` against an agent that requires signed commands (Security:CommandKeyFile).
[Collection(BrokerCollection.Name)]
public sealed class SigningTests(RabbitMqBroker broker) : IDisposable
{
    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"sig-ert-key-{Guid.NewGuid():N}");

    [Fact]
    public async Task Ert_signs_with_key_file_or_ERT_KEY_FILE_and_an_unsigned_stop_is_refused_without_touching_the_container()
    {
        File.WriteAllText(keyFile, "sig-ert-test-key-8d2f61b0c4\n");
        await using var node = await TestNode.StartAsync(broker, new Dictionary<string, string?> { ["Security:CommandKeyFile"] = keyFile });
        var (flagged, fromEnvironment, unsigned) = (node.Id("sig-flag"), node.Id("sig-env"), node.Id("sig-unsigned"));
        await node.StartContainersAsync(flagged, fromEnvironment, unsigned);

        var withFlag = await node.ErtAsync("stop", flagged, "--node", node.Name, "--key-file", keyFile);
        var withEnvironment = await Ert.RunAsync(["stop", fromEnvironment, "--node", node.Name, .. node.Connection],
            environment: new Dictionary<string, string> { ["ERT_KEY_FILE"] = keyFile });
        var without = await node.ErtAsync("stop", unsigned, "--node", node.Name);

        Assert.True(withFlag.ExitCode == 0, withFlag.ToString());
        Assert.True(await node.IsStoppedAsync(flagged));
        Assert.True(withEnvironment.ExitCode == 0, withEnvironment.ToString());
        Assert.True(await node.IsStoppedAsync(fromEnvironment));
        Assert.True(without.ExitCode == 1, without.ToString());
        Assert.Equal([unsigned, "failed", "InvalidCommand"], without.StdoutLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3));
        Assert.EndsWith("invalid command: unsigned command, this node requires signed commands", without.StdoutLines[1], StringComparison.Ordinal);
        Assert.False(await node.IsStoppedAsync(unsigned));
    }

    [Fact]
    public async Task A_missing_key_file_is_a_usage_error_named_in_one_line()
    {
        var run = await Ert.RunAsync(["stop", "sig-web", "--node", "n", "--key-file", keyFile, "--rabbitmq", broker.AmqpUri.ToString()]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"ert: --key-file: command key file {keyFile} cannot be used: Could not find file", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(keyFile);
}
