using System.Collections;
using System.Text.Json;
using EventRuntime.Node.CommandLine;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Tests.CommandLine;

// list and logs read the node's settings without a host (LocalNode, NodeSettings): for every setting they read, and
// for bad values, they must come out as the host's options do, or list would show another node than create made.
public sealed class LocalNodeTests : IDisposable
{
    private readonly string state = Directory.CreateTempSubdirectory("eventruntime-localnode-").FullName;

    public static TheoryData<string, Dictionary<string, string?>> Settings => new()
    {
        { "the defaults of appsettings.json", new() },
        { "a node name", new() { ["Node:Name"] = "node-b" } },
        { "a heartbeat interval", new() { ["Node:HeartbeatInterval"] = "00:00:05" } },
        { "keys in another case", new() { ["node:name"] = "node-c", ["RUNTIME:ROOT"] = "/run/other/runc" } },
        { "a runtime path and root", new() { ["Runtime:Path"] = "/usr/local/bin/crun", ["Runtime:Root"] = "/run/crun" } },
        { "a monitor path", new() { ["Runtime:MonitorPath"] = "/usr/libexec/podman/conmon" } },
        { "a command timeout", new() { ["Runtime:CommandTimeout"] = "00:00:03" } },
        { "a command timeout in days", new() { ["Runtime:CommandTimeout"] = " 1.02:00:00 " } },
        { "a status source in lower case", new() { ["Runtime:StatusSource"] = "command" } },
        { "a status source as a number", new() { ["Runtime:StatusSource"] = "2" } },
        { "runsc's settings", new() { ["Runtime:Runsc:Path"] = "/opt/runsc", ["Runtime:Runsc:Root"] = "/run/gv", ["Runtime:Runsc:Network"] = "host" } },
        { "an empty runsc root", new() { ["Runtime:Runsc:Root"] = "" } },
        { "a bad node name", new() { ["Node:Name"] = "no spaces" } },
        { "a relative state directory", new() { ["Node:StateDirectory"] = "relative/state" } },
        { "a negative heartbeat interval", new() { ["Node:HeartbeatInterval"] = "-00:00:01" } },
        { "a heartbeat interval that is no duration", new() { ["Node:HeartbeatInterval"] = "soon" } },
        { "a zero command timeout", new() { ["Runtime:CommandTimeout"] = "00:00:00" } },
        { "a command timeout that is no duration", new() { ["Runtime:CommandTimeout"] = "10s" } },
        { "an empty command timeout", new() { ["Runtime:CommandTimeout"] = "" } },
        { "an unknown status source", new() { ["Runtime:StatusSource"] = "guess" } },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Without_a_host_the_settings_and_their_refusals_are_the_hosts(string description, Dictionary<string, string?> settings)
    {
        var overrides = new Dictionary<string, string?>(settings);
        overrides.TryAdd("Node:StateDirectory", state);
        var builder = NodeAgentHost.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"], overrides);
        builder.Services.AddNodeContainers(builder.Configuration);
        using var host = builder.Build();
        var local = new LocalNode(NodeSettings.Read(overrides, AppContext.BaseDirectory));

        // The case's description names it in the test's display name.
        _ = description;
        Assert.Equal(Outcome(() => host.Services.GetRequiredService<IOptions<NodeOptions>>().Value), Outcome(() => local.Node));
        Assert.Equal(Outcome(() => host.Services.GetRequiredService<IOptions<RuntimeOptions>>().Value), Outcome(() => local.Runtime));
    }

    [Fact]
    public void Variables_and_files_take_precedence_as_in_the_host()
    {
        var directory = Directory.CreateTempSubdirectory("eventruntime-settings-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "appsettings.json"), """
                {
                  // comments and trailing commas, as the host's JSON files take them
                  "Node": { "Name": "from-json", "StateDirectory": "/from/json", },
                  "Runtime": { "Path": "from-json", "Root": "from-json", "MonitorPath": "from-json", "Runsc": { "Network": "from-json" } },
                }
                """);
            File.WriteAllText(Path.Combine(directory, "appsettings.Staging.json"), """{ "Runtime": { "Runsc": { "Network": "from-staging-json" } } }""");
            var environment = new Hashtable
            {
                ["DOTNET_ENVIRONMENT"] = "Staging",
                ["DOTNET_Node__Name"] = "from-dotnet-variable",
                ["DOTNET_Runtime__CommandTimeout"] = "00:00:07",
                ["Runtime__Path"] = "from-variable",
                ["Runtime__Root"] = "from-variable",
                ["eventruntime_Runtime__Root"] = "from-eventruntime-variable",
                ["EVENTRUNTIME_Runtime__MonitorPath"] = "from-eventruntime-variable",
            };

            var settings = NodeSettings.Read(new Dictionary<string, string?> { ["Runtime:MonitorPath"] = "from-command-line" }, environment, directory);

            Assert.Equal("from-json", settings.Get("Node:Name"));
            Assert.Equal("/from/json", settings.Get("node:statedirectory"));
            Assert.Equal("00:00:07", settings.Get("Runtime:CommandTimeout"));
            Assert.Equal("from-variable", settings.Get("Runtime:Path"));
            Assert.Equal("from-eventruntime-variable", settings.Get("Runtime:Root"));
            Assert.Equal("from-command-line", settings.Get("Runtime:MonitorPath"));
            Assert.Equal("from-staging-json", settings.Get("Runtime:Runsc:Network"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(state, recursive: true);

    /// <summary>The options as JSON (their public settings), or the exception's type and message.</summary>
    private static string Outcome(Func<object> options)
    {
        try
        {
            return JsonSerializer.Serialize(options(), options().GetType());
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            var failures = e is OptionsValidationException validation ? string.Join(" | ", validation.Failures) : "";
            return $"{e.GetType().Name}: {e.Message} {failures}";
        }
    }
}
