using EventRuntime.Node.CommandLine;
using EventRuntime.Node.Native;

// list, logs and help run here, natively, with the settings of the managed host beside it; any other verb becomes that host.
return await NodeEntryPoint.MainAsync(args, HostExecutable.Directory, (_, _) => Task.FromResult(HostExecutable.Replace(args)));
