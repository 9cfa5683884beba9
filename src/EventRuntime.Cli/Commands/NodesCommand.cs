using System.CommandLine;
using EventRuntime.Cli.Output;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// <c>ert nodes</c>: the node agents that are alive. Agents publish a heartbeat every
/// <c>Node:HeartbeatInterval</c> (10 s by default), so ert listens 1.5 times that long by default.
/// </summary>
internal sealed class NodesCommand(GlobalOptions global, TextWriter stdout, TextWriter stderr)
{
    private readonly Option<int> wait = Options.Seconds("--wait", "Seconds to listen for heartbeats (agents send one every 10 s by default)", 15);
    private readonly Option<string> output = Options.Output();

    public Command Create()
    {
        var command = new Command("nodes", "List the node agents that are alive, with their version and stops in flight") { wait, output };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(stderr, () => RunAsync(parseResult, cancellationToken), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var listenFor = TimeSpan.FromSeconds(parseResult.GetValue(wait));
        await using var client = global.Client(parseResult);
        await client.ConnectAsync(cancellationToken);
        stderr.WriteLine($"ert: listening for node heartbeats for {parseResult.GetValue(wait)} s");
        var nodes = await client.ListNodesAsync(listenFor, cancellationToken);
        if (parseResult.GetValue(output) == OutputFormat.Json)
        {
            Json.Write(stdout, nodes);
        }
        else if (nodes.Count > 0)
        {
            var now = DateTimeOffset.UtcNow;
            var table = new TextTable("NODE", "VERSION", "IN-FLIGHT", "STARTED", "LAST SEEN");
            foreach (var heartbeat in nodes)
            {
                table.Add(heartbeat.Node, heartbeat.Version, heartbeat.InFlightStops.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Format.Time(heartbeat.StartedAt), Format.Ago(heartbeat.SentAt, now));
            }

            table.WriteTo(stdout);
        }

        if (nodes.Count == 0)
        {
            stderr.WriteLine($"ert: no node agent was heard within {parseResult.GetValue(wait)} s");
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }
}
