using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EventRuntime.Node.Operations;

namespace EventRuntime.Node;

/// <summary>Builds the node's host the same way for the executable and for in-process tests.</summary>
public static class NodeAgentHost
{
    /// <summary>
    /// Configuration, lowest precedence first: appsettings.json next to the executable, environment
    /// variables prefixed EVENTRUNTIME_ (EVENTRUNTIME_Node__Name), the command line (--Node:Name=a), then <paramref name="overrides"/>.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("EVENTRUNTIME_");
        builder.Configuration.AddCommandLine(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddNodeLogging(builder.Configuration);
        return builder;
    }
}
