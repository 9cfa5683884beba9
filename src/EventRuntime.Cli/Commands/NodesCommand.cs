using System.CommandLine;
using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// <c>ert nodes [--node N…]</c>: the node agents that are alive, asked over the bus (every agent answers a ping at
/// once), with their version and stops in flight. A node named with <c>--node</c>, or with none named an agent on the
/// roster (heard within its window and not gone cleanly), that does not answer is listed as silent with when it was last
/// heard, and the exit code is 1; so it is when no agent answers at all.
/// </summary>
internal sealed class NodesCommand(GlobalOptions global, TextWriter stdout, TextWriter stderr)
{
    private readonly Option<string[]> nodes = Options.Nodes("Only these nodes (repeatable, or comma-separated); a named node that does not answer is shown silent (default: every agent, and those on the roster that do not answer)");
    private readonly Option<double?> wait = Options.FleetWait();
    private readonly Option<string> output = Options.Output();

    public Command Create()
    {
        var command = new Command("nodes", "List the node agents that are alive, with their version and stops in flight") { nodes, wait, output };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(stderr, () => RunAsync(parseResult, cancellationToken), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var query = new FleetQuery
        {
            Nodes = Options.NodesOf(parseResult.GetValue(nodes)),
            Wait = parseResult.GetValue(wait) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
        await using var client = global.Client(parseResult);
        var presence = await client.PingNodesAsync(query, cancellationToken);
        var rows = presence.Live
            .Select(node => new NodeRow(node.Node, "live", node.Version, node.InFlightStops, node.StartedAt, node.SentAt, null))
            .Concat(presence.Silent.Select(node => new NodeRow(node, "silent", null, null, null, null, presence.LastHeard.TryGetValue(node, out var at) ? at : null)))
            .OrderBy(row => row.Node, StringComparer.Ordinal)
            .ToList();
        if (parseResult.GetValue(output) == OutputFormat.Json)
        {
            Json.Write(stdout, rows);
        }
        else if (rows.Count > 0)
        {
            var table = new TextTable("NODE", "STATE", "VERSION", "IN-FLIGHT", "STARTED");
            foreach (var row in rows)
            {
                table.Add(row.Node, row.State, row.Version ?? "-", row.InFlightStops?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    row.StartedAt is { } started ? Format.Time(started) : "-");
            }

            table.WriteTo(stdout);
        }

        foreach (var silent in presence.Silent)
        {
            stderr.WriteLine($"ert: node {silent} did not answer within {Format.Seconds(query.EffectiveWait)}: its agent is down or cut off from the broker{Format.LastHeard(presence.LastHeard, silent)}");
        }

        if (presence.Live.Count == 0)
        {
            stderr.WriteLine($"ert: no node agent answered within {Format.Seconds(query.EffectiveWait)}");
            return ExitCodes.Failed;
        }

        return presence.Silent.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>One node's line; the JSON field names are part of ert's interface.</summary>
    private sealed record NodeRow(
        string Node, string State, string? Version, int? InFlightStops, DateTimeOffset? StartedAt, DateTimeOffset? SentAt, DateTimeOffset? LastHeard);
}
