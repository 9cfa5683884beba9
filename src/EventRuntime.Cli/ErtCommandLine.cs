using System.CommandLine;
using EventRuntime.Cli.Commands;

namespace EventRuntime.Cli;

/// <summary>ert's commands, and the parse step that makes every usage error exit with 2.</summary>
internal static class ErtCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("ert: stop containers through EventRuntime's node agents and follow their outcomes")
        {
            global.RabbitMq,
            global.Config,
            global.ClusterNodes,
            global.RequireNodePublisher,
        };
        root.Subcommands.Add(new StopCommand(global, stdout, stderr).Create());
        root.Subcommands.Add(new EventsCommand(global, stdout, stderr).Create());
        root.Subcommands.Add(new NodesCommand(global, stdout, stderr).Create());
        root.Subcommands.Add(new PsCommand(global, stdout, stderr).Create());
        root.Subcommands.Add(new StatusCommand(global, stdout, stderr).Create());

        ParseResult parseResult;
        try
        {
            parseResult = root.Parse(args);
        }
        catch (InvalidOperationException e)
        {
            // A validator that met a value it could not read; still a usage error, still one line.
            stderr.WriteLine($"ert: {e.Message}");
            return ExitCodes.Usage;
        }

        if (parseResult.Errors.Count > 0)
        {
            // System.CommandLine would exit with 1, which ert keeps for "a stop failed".
            foreach (var error in parseResult.Errors)
            {
                stderr.WriteLine($"ert: {error.Message}");
            }

            var command = parseResult.CommandResult.Command;
            stderr.WriteLine(command is RootCommand ? "Try 'ert --help'." : $"Try 'ert {command.Name} --help'.");
            return ExitCodes.Usage;
        }

        using var interruption = new Interruption();
        // Signals are ert's own (Interruption): System.CommandLine's handler would exit with 130 before the command could answer.
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null }, interruption.Token);
    }
}
