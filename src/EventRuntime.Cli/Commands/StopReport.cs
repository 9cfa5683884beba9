using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>The final result of <c>ert stop</c>: a table, or a JSON array with one object per container.</summary>
internal static class StopReport
{
    public static void Write(TextWriter writer, IReadOnlyList<StopResult> results, bool json)
    {
        if (json)
        {
            Json.Write(writer, results.Select(Row).ToList());
            return;
        }

        WriteTable(writer, results.Select(Row).ToList(), withNode: false);
    }

    /// <summary>One line per container; with <paramref name="withNode"/> the node first, for stops over several nodes.</summary>
    public static void WriteTable(TextWriter writer, IReadOnlyList<StopRow> rows, bool withNode)
    {
        string[] columns = ["CONTAINER", "OUTCOME", "CODE", "LATENCY", "REASON"];
        var table = new TextTable(withNode ? ["NODE", .. columns] : columns);
        foreach (var row in rows)
        {
            string[] cells = [row.Container, row.Outcome, row.Code ?? "-", row.LatencyMs is { } ms ? $"{ms} ms" : "-", row.Reason ?? "-"];
            table.Add(withNode ? [row.Node, .. cells] : cells);
        }

        table.WriteTo(writer);
    }

    public static void WriteSent(TextWriter writer, IReadOnlyList<(StopRequest Request, Guid CommandId)> sent, bool json)
    {
        var rows = sent.Select(s => new StopRow(s.Request.Node, s.Request.ContainerId, s.CommandId, "sent", null, null, null, null, null)).ToList();
        if (json)
        {
            Json.Write(writer, rows);
            return;
        }

        var table = new TextTable("CONTAINER", "OUTCOME", "COMMAND");
        foreach (var row in rows)
        {
            table.Add(row.Container, row.Outcome, row.CommandId.ToString());
        }

        table.WriteTo(writer);
    }

    public static StopRow Row(StopResult result) => result.Outcome is { } outcome
        ? new StopRow(result.Request.Node, result.Request.ContainerId, result.CommandId,
            outcome.IsStopped ? "stopped" : "failed", outcome.Event.Code, outcome.Event.Reason, outcome.Event.ExitCode,
            (long)outcome.Latency.TotalMilliseconds, outcome.Event.At)
        : new StopRow(result.Request.Node, result.Request.ContainerId, result.CommandId, result.OutcomeName, null, result.Error, null, null, null);

    /// <summary>One container's line; the JSON field names are part of ert's interface.</summary>
    public sealed record StopRow(
        string Node, string Container, Guid CommandId, string Outcome, string? Code, string? Reason, int? ExitCode, long? LatencyMs, DateTimeOffset? At);
}
