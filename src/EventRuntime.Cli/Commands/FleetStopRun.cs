using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// <c>ert stop --selector</c>: the fleet stop through the client library, a progress line per target on stderr while
/// it runs, then on stdout one row per target and the roll-up (how many ended each way, by failure code).
/// </summary>
internal sealed class FleetStopRun(TextWriter stdout, TextWriter stderr)
{
    public async Task<int> RunAsync(EventRuntimeClient client, FleetStopRequest request, bool json, CancellationToken cancellationToken)
    {
        await client.ConnectAsync(cancellationToken);
        ProgressBoard? board = null;
        FleetStopReport report;
        try
        {
            report = await client.StopFleetAsync(request with
            {
                OnTargets = targets =>
                {
                    stderr.WriteLine($"ert: {targets.Count} containers match {request.Targets.Selector}");
                    board = new ProgressBoard(targets, stderr, ProgressBoard.CanDrawLive(targets.Count));
                },
                OnProgress = progress => board?.Update(progress),
            }, cancellationToken);
        }
        finally
        {
            if (board is not null)
            {
                await board.DisposeAsync();
            }
        }

        Write(report, json);
        foreach (var node in report.SilentNodes)
        {
            stderr.WriteLine($"ert: node {node} did not answer the inventory within {Format.Seconds(request.Targets.EffectiveWait)}: its containers were not stopped{Format.LastHeard(report.SilentLastHeard, node)}");
        }

        foreach (var (node, error) in report.NodeErrors)
        {
            stderr.WriteLine($"ert: node {node}: {error}; its containers were not stopped");
        }

        if (report.ThresholdPassed)
        {
            stderr.WriteLine($"ert: more than {report.MaxErrors} stops failed; the rest were not sent");
        }

        return report.AllStopped ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private void Write(FleetStopReport report, bool json)
    {
        var rows = report.Results.Select(StopReport.Row).ToList();
        var counts = report.Counts().Select(count => new CountRow(count.Outcome, count.Code, count.Count)).ToList();
        if (json)
        {
            Json.Write(stdout, new FleetRow(rows, counts, report.SilentNodes, report.NodeErrors, report.MaxConcurrency, report.MaxErrors, report.ThresholdPassed));
            return;
        }

        StopReport.WriteTable(stdout, rows, withNode: true);
        stdout.WriteLine();
        var rollUp = new TextTable("OUTCOME", "CODE", "COUNT");
        foreach (var count in counts)
        {
            rollUp.Add(count.Outcome, count.Code ?? "-", count.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        rollUp.WriteTo(stdout);
    }

    /// <summary>The JSON of a fleet stop; its field names are part of ert's interface.</summary>
    private sealed record FleetRow(
        IReadOnlyList<StopReport.StopRow> Containers, IReadOnlyList<CountRow> Counts, IReadOnlyList<string> SilentNodes,
        IReadOnlyDictionary<string, string> NodeErrors, int MaxConcurrency, int? MaxErrors, bool ThresholdPassed);

    private sealed record CountRow(string Outcome, string? Code, int Count);
}
