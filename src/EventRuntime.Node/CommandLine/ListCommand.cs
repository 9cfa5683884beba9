using System.Globalization;
using System.Text.Json;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.CommandLine;

/// <summary>
/// <c>eventruntime-node list [-o table|json]</c>: the containers this node holds, each with its record, its runtime's
/// status now and whether its root is mounted. Runs without a host (see <see cref="LocalNode"/>): it is what an operator
/// runs most, and it is compiled into the native front as well (the project Node.Native beside this one in src/).
/// </summary>
internal static class ListCommand
{
    public static async Task<int> RunAsync(NodeCommandLine commandLine, LocalNode node, CancellationToken cancellationToken)
    {
        var output = commandLine.Option("-o") ?? commandLine.Option("--output") ?? "table";
        if (commandLine.Positionals("-o", "--output").Count != 0 || output is not ("table" or "json"))
        {
            throw new UsageException("usage: eventruntime-node list [-o table|json]");
        }

        var store = node.Store;
        var runtimes = node.Runtimes;
        var rows = new List<ContainerListing>();
        foreach (var record in store.LoadAll())
        {
            rows.Add(new ContainerListing(record, await LiveStatusAsync(runtimes.For(record.Runtime), record, cancellationToken), Storage.MountInfo.IsMounted(record.RootfsMount)));
        }

        if (output == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(rows.Select(row => row.ToJson()).ToList(), ContainerListingJsonContext.Default.ListContainerListingJson));
            return 0;
        }

        Console.WriteLine($"{"ID",-24} {"INSTANCE",-36} {"RECORDED",-9} {"RUNTIME",-9} {"MOUNTED",-7} {"EXIT",-5} {"MONITOR",-8} {"STOP SIGNAL",-11} LABELS");
        foreach (var row in rows)
        {
            var record = row.Record;
            Console.WriteLine(
                $"{record.Id,-24} {record.InstanceId ?? "-",-36} {record.Status.ToString().ToLowerInvariant(),-9} {row.Live,-9} {(row.Mounted ? "yes" : "no"),-7} {record.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",-5} {MonitorState.Of(record),-8} {record.StopSignal,-11} {LabelText(record.Labels)}");
        }

        return 0;
    }

    /// <summary>Labels as <c>--label</c> takes them, comma-separated; "-" when there are none.</summary>
    private static string LabelText(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "-" : string.Join(",", labels.OrderBy(label => label.Key, StringComparer.Ordinal).Select(label => $"{label.Key}={label.Value}"));

    private static async Task<string> LiveStatusAsync(IOciRuntime runtime, ContainerRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return (await runtime.StateAsync(record.Id, cancellationToken)).Status.ToString().ToLowerInvariant();
        }
        catch (RuntimeException e) when (e.Kind == RuntimeErrorKind.NotFound)
        {
            return "gone";
        }
    }

    private sealed record ContainerListing(ContainerRecord Record, string Live, bool Mounted)
    {
        // The JSON shape is a contract for scripts: see ContainerListingJson.
        public ContainerListingJson ToJson() => new(
            Record.Id,
            Record.InstanceId,
            Record.Status.ToString().ToLowerInvariant(),
            Live,
            Record.Runtime,
            Mounted,
            Record.StopSignal,
            Record.Labels,
            Record.ExitCode,
            new MonitorListingJson(MonitorState.Of(Record), Record.Monitor?.Pid),
            Record.LogPath,
            Record.ExitFile,
            Record.CgroupsPath,
            Record.CreatedAt,
            Record.FinishedAt);
    }
}
