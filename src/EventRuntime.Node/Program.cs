using EventRuntime.Node;
using EventRuntime.Node.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

NodeCommandLine commandLine;
try
{
    commandLine = NodeCommandLine.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"eventruntime-node: {e.Message}");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = commandLine.Verb == "agent" ? [.. commandLine.Arguments] : [],
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddEnvironmentVariables("EVENTRUNTIME_");
builder.Configuration.AddInMemoryCollection(commandLine.Settings);
builder.Services.AddNodeContainers(builder.Configuration);
return await NodeEntryPoint.RunAsync(commandLine, builder);
