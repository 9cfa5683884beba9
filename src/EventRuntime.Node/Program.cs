using EventRuntime.Node;
using EventRuntime.Node.CommandLine;

// The managed executable: every verb, the agent's and create's host included. Its appsettings files are beside it.
return await NodeEntryPoint.MainAsync(args, AppContext.BaseDirectory, HostedVerbs.RunAsync);
