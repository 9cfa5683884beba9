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

return await NodeEntryPoint.RunAsync(commandLine, cancel => HostedVerbs.RunAsync(commandLine, cancel));
