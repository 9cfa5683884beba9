using EventRuntime.Node;
using EventRuntime.Node.CommandLine;

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

if (commandLine.Verb == "help")
{
    // Before any host is built: asking for the usage must not touch a state directory or a broker.
    Console.WriteLine(NodeEntryPoint.Usage);
    return 0;
}

var builder = NodeAgentHost.CreateBuilder(commandLine.Verb == "agent" ? [.. commandLine.Arguments] : [], commandLine.Settings);
if (commandLine.Verb == "agent")
{
    builder.Services.AddNodeAgent(builder.Configuration);
}
else
{
    builder.Services.AddNodeContainers(builder.Configuration);
}

return await NodeEntryPoint.RunAsync(commandLine, builder);
