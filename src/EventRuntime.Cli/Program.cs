using EventRuntime.Cli;

return await ErtCommandLine.RunAsync(args, Console.Out, Console.Error);
