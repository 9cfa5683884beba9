using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// One outcome event per line as it arrives: fixed-width columns (a stream cannot size them to their
/// contents) or one JSON object per line.
/// </summary>
internal sealed class EventLine(TextWriter writer, bool json)
{
    private const string Columns = "{0,-24}  {1,-16}  {2,-20}  {3,-8}  {4,-18}  {5}";
    private bool headerWritten;

    public void Write(OutcomeEvent outcome)
    {
        var outcomeName = outcome.Kind == OutcomeKind.Stopped ? "stopped" : "failed";
        if (json)
        {
            Json.WriteLine(writer, new
            {
                outcome.At,
                outcome.Node,
                Container = outcome.ContainerId,
                Outcome = outcomeName,
                outcome.Code,
                outcome.Reason,
                outcome.ExitCode,
                outcome.CommandId,
            });
            return;
        }

        if (!headerWritten)
        {
            writer.WriteLine(Line("TIME", "NODE", "CONTAINER", "OUTCOME", "CODE", "REASON"));
            headerWritten = true;
        }

        writer.WriteLine(Line(Format.Time(outcome.At), outcome.Node, outcome.ContainerId, outcomeName, outcome.Code ?? "-", outcome.Reason ?? "-"));
    }

    private static string Line(params object[] cells) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Columns, cells).TrimEnd();
}
