namespace EventRuntime.Cli.Output;

/// <summary>Columns padded to their widest cell, two spaces apart; the last column is never padded, so long reasons stay whole.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string[] cells) =>
        rows.Add(cells.Length == headers.Length ? cells : throw new ArgumentException($"a row needs {headers.Length} cells, got {cells.Length}"));

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Prepend(header.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(headers))
        {
            var padded = row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]));
            writer.WriteLine(string.Join("  ", padded).TrimEnd());
        }
    }
}
