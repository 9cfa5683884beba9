using System.Net;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

/// <summary>Publishing two self-contained executables takes both cores for minutes: alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackageCollection
{
    public const string Name = "package";
}

// infra/package/build-deb.sh's package, installed with dpkg -i in a Debian 12 container without .NET (the
// local RabbitMQ image is a debootstrap minbase of bookworm), where its agent starts and answers /health/live.
[Collection(PackageCollection.Name)]
public sealed class PackageTests : IDisposable
{
    private const int HealthPort = 8089;
    private readonly string output = Directory.CreateTempSubdirectory("eventruntime-deb-").FullName;

    [Fact]
    public async Task The_package_installs_with_dpkg_on_a_node_without_dotnet_and_its_agent_answers_health_live()
    {
        var (built, log) = await ExternalTool.RunAsync("bash", Path.Combine(Repository.Root, "infra", "package", "build-deb.sh"), output);
        Assert.True(built == 0, log);
        var deb = Assert.Single(Directory.GetFiles(output, "eventruntime-node_*_amd64.deb"));
        await AssertUnitVerifiesAsync(deb);
        // runc is a dependency; the container has no apt sources of its own, so its package comes along.
        var (downloaded, download) = await ExternalTool.RunAsync("sh", "-c", $"cd '{output}' && apt-get download -q runc");
        Assert.True(downloaded == 0, download);

        await using var node = new ContainerBuilder(BrokerContainer.Image)
            .WithBindMount(output, "/pkg", AccessMode.ReadOnly)
            .WithPortBinding(HealthPort, true)
            .WithEntrypoint("/bin/sh")
            // eventruntime-node list is the native front (no .NET here either); the agent is its managed host, exec'd.
            .WithCommand("-c", "dpkg -i /pkg/*.deb && ert --help >/dev/null && " +
                               "eventruntime-node list --node packaged --state-dir /var/lib/eventruntime-list | grep -q '^ID  *INSTANCE' && " +
                               $"EVENTRUNTIME_Health__Port={HealthPort} EVENTRUNTIME_Health__Address=0.0.0.0 " +
                               "exec eventruntime-node agent --node packaged --RabbitMq:Url=amqp://guest:guest@127.0.0.1:1/")
            .Build();
        await node.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.GetMappedPublicPort(HealthPort)}/"), Timeout = TimeSpan.FromSeconds(10) };

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                var live = await http.GetAsync("health/live");
                if (live.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet (dpkg still unpacking).
            }

            var (stdout, stderr) = await node.GetLogsAsync();
            Assert.True(DateTime.UtcNow < deadline, $"/health/live never answered 200:\n{stdout}\n{stderr}");
            await Task.Delay(500);
        }

        // Without a broker it is alive and not ready, as it should be.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("health/ready")).StatusCode);
        Assert.DoesNotContain("dotnet", (await node.ExecAsync(["sh", "-c", "command -v dotnet || true"])).Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await node.ExecAsync(["test", "-L", "/usr/bin/ert"])).ExitCode);
    }

    public void Dispose() => Directory.Delete(output, recursive: true);

    // The unit as the package installs it, its ExecStart pointed at the packaged agent (verify wants it to exist).
    private static async Task AssertUnitVerifiesAsync(string deb)
    {
        var extracted = Directory.CreateTempSubdirectory("eventruntime-deb-x-").FullName;
        try
        {
            var (exitCode, output) = await ExternalTool.RunAsync("dpkg-deb", "-x", deb, extracted);
            Assert.True(exitCode == 0, output);
            var unit = Path.Combine(extracted, "lib", "systemd", "system", "eventruntime-node.service");
            var agent = Path.Combine(extracted, "opt", "eventruntime", "node", "eventruntime-node");
            await File.WriteAllTextAsync(unit, (await File.ReadAllTextAsync(unit)).Replace("/opt/eventruntime/node/eventruntime-node", agent, StringComparison.Ordinal));

            var (verified, verify) = await ExternalTool.RunAsync("systemd-analyze", "verify", unit);

            Assert.True(verified == 0 && !verify.Contains(unit, StringComparison.Ordinal), verify);
            var (helped, help) = await ExternalTool.RunAsync(agent, "--help");
            Assert.True(helped == 0 && help.Contains("eventruntime-node create", StringComparison.Ordinal), help);
        }
        finally
        {
            Directory.Delete(extracted, recursive: true);
        }
    }
}
