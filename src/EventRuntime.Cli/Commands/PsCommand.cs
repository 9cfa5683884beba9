using System.CommandLine;
using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// <c>ert ps [--node N…] [--selector k=v,k2!=v2]</c>: the containers of the fleet, in one question that every agent
/// answers. Exits 1 when a named node did not answer or a node could not list its containers: the list is then incomplete.
/// </summary>
internal sealed class PsCommand(GlobalOptions global, TextWriter stdout, TextWriter stderr)
{
    private readonly Option<string[]> nodes = Options.Nodes("Only these nodes (repeatable, or comma-separated); default: every node whose agent answers");
    private readonly Option<string?> selector = Options.Selector("Only containers whose labels match, e.g. app=web,tier!=db (key=value, key!=value, key, !key)");
    private readonly Option<double?> wait = Options.FleetWait();
    private readonly Option<string> output = Options.Output();

    public Command Create()
    {
        var command = new Command("ps", "List the containers of the fleet (or of some nodes), with their labels") { nodes, selector, wait, output };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(stderr, () => RunAsync(parseResult, cancellationToken), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var query = new FleetQuery
        {
            Nodes = Options.NodesOf(parseResult.GetValue(nodes)),
            Selector = parseResult.GetValue(selector) ?? "",
            Wait = parseResult.GetValue(wait) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
        await using var client = global.Client(parseResult);
        var inventory = await client.ListContainersAsync(query, cancellationToken);
        if (parseResult.GetValue(output) == OutputFormat.Json)
        {
            Json.Write(stdout, inventory.Containers.Select(Row).ToList());
        }
        else
        {
            var table = new TextTable("NODE", "CONTAINER", "STATUS", "INSTANCE", "LABELS");
            foreach (var row in inventory.Containers.Select(Row))
            {
                table.Add(row.Node, row.Id, row.Status, row.InstanceId ?? "-", Format.Labels(row.Labels));
            }

            table.WriteTo(stdout);
        }

        return FleetAnswers.Report(stderr, inventory, query) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static PsRow Row(FleetContainer container) => new(
        container.Node, container.Container.Id, container.Container.InstanceId, container.Container.Status,
        container.Container.Runtime, container.Container.Labels, container.Container.CreatedAt);

    /// <summary>One container's line; the JSON field names are part of ert's interface.</summary>
    private sealed record PsRow(
        string Node, string Id, string? InstanceId, string Status, string Runtime, IReadOnlyDictionary<string, string> Labels, DateTimeOffset CreatedAt);
}
