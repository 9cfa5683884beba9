using System.CommandLine;
using EventRuntime.Cli.Output;
using EventRuntime.Contracts;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// <c>ert status &lt;commandId&gt; --node N</c>: what became of a command, from the node's own records, for a
/// control plane that missed the outcome event. Exits 0 when the node answered, whatever the status.
/// </summary>
internal sealed class StatusCommand(GlobalOptions global, TextWriter stdout, TextWriter stderr)
{
    private readonly Argument<Guid> commandId = new("commandId") { Description = "The command id (as ert stop prints it)" };
    private readonly Option<string> node = new("--node", "-n") { Description = "The node the command was sent to", Required = true };
    private readonly Option<int> wait = Options.Seconds("--wait", "Seconds to wait for the node's answer", 10);
    private readonly Option<string> output = Options.Output();

    public Command Create()
    {
        var command = new Command("status", "Ask a node what became of a command: unknown, pending, stopping, stopped or failed") { commandId, node, wait, output };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(stderr, () => RunAsync(parseResult, cancellationToken), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var client = global.Client(parseResult);
        await client.ConnectAsync(cancellationToken);
        CommandStatus status;
        try
        {
            status = await client.GetStatusAsync(parseResult.GetRequiredValue(node), parseResult.GetValue(commandId), TimeSpan.FromSeconds(parseResult.GetValue(wait)), cancellationToken);
        }
        catch (TimeoutException e)
        {
            stderr.WriteLine($"ert: {e.Message}");
            return ExitCodes.Failed;
        }

        if (parseResult.GetValue(output) == OutputFormat.Json)
        {
            Json.Write(stdout, status);
            return ExitCodes.Ok;
        }

        var table = new TextTable("COMMAND", "NODE", "CONTAINER", "STATUS", "CODE", "REASON");
        table.Add(status.CommandId.ToString(), status.Node, status.ContainerId ?? "-", status.Status, status.Code ?? "-", status.Reason ?? "-");
        table.WriteTo(stdout);
        return ExitCodes.Ok;
    }
}
