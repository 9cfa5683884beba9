namespace EventRuntime.Node.Runtime;

/// <summary>
/// One line of a CRI log as conmon writes it (the kubelet's format): <c>TIMESTAMP STREAM TAG MESSAGE</c>, e.g.
/// <c>2026-12-01T08:35:39.572467310+00:00 stdout F hello</c>. Tag <c>F</c> ends a line of the container's output,
/// <c>P</c> is a part of a longer one that the next entry continues.
/// </summary>
public sealed record CriLogLine(string Timestamp, string Stream, bool Partial, string Message)
{
    /// <summary>The entry in <paramref name="line"/>; null for a line that is not one (a torn last line, another format).</summary>
    public static CriLogLine? Parse(string line)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || parts[1] is not ("stdout" or "stderr") || parts[2].Split(':')[0] is not ("F" or "P"))
        {
            return null;
        }

        return new CriLogLine(parts[0], parts[1], parts[2].StartsWith('P'), parts.Length == 4 ? parts[3] : "");
    }
}
