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

        var table = new TextTable("CONTAINER", "OUTCOME", "CODE", "LATENCY", "REASON");
        foreach (var result in results)
        {
            var row = Row(result);
            table.Add(row.Container, row.Outcome, row.Code ?? "-", row.LatencyMs is { } ms ? $"{ms} ms" : "-", row.Reason ?? "-");
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

    private static StopRow Row(StopResult result) => result.Outcome is { } outcome
        ? new StopRow(result.Request.Node, result.Request.ContainerId, result.CommandId,
            outcome.IsStopped ? "stopped" : "failed", outcome.Event.Code, outcome.Event.Reason, outcome.Event.ExitCode,
            (long)outcome.Latency.TotalMilliseconds, outcome.Event.At)
        : new StopRow(result.Request.Node, result.Request.ContainerId, result.CommandId, result.WasSent ? "no-outcome" : "send-failed", null, result.Error, null, null, null);

    /// <summary>One container's line; the JSON field names are part of ert's interface.</summary>
    private sealed record StopRow(
        string Node, string Container, Guid CommandId, string Outcome, string? Code, string? Reason, int? ExitCode, long? LatencyMs, DateTimeOffset? At);
}
