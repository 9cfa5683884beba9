using EventRuntime.Node;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Tests.Bus;

// MassTransit reports usage to masstransit.io unless told not to; its observer also raced the bus's start and faulted it.
public sealed class UsageTelemetryTests : IDisposable
{
    private readonly string state = Directory.CreateTempSubdirectory("eventruntime-telemetry-").FullName;

    [Fact]
    public void The_agent_s_bus_reports_no_usage_telemetry()
    {
        var builder = NodeAgentHost.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"],
            new Dictionary<string, string?> { ["Node:Name"] = "telemetry-node", ["Node:StateDirectory"] = state });
        builder.Services.AddNodeAgent(builder.Configuration);
        using var host = builder.Build();

        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    public void Dispose() => Directory.Delete(state, recursive: true);
}
