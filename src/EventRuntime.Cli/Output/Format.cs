using System.Globalization;

namespace EventRuntime.Cli.Output;

/// <summary>How durations and times read in ert's text output.</summary>
internal static class Format
{
    public static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age < TimeSpan.Zero ? "just now" : age.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s ago";
    }

    /// <summary>" (last heard …Z, 12 s ago)" for a silent node the roster heard; "" for one it never heard.</summary>
    public static string LastHeard(IReadOnlyDictionary<string, DateTimeOffset> lastHeard, string node) =>
        lastHeard.TryGetValue(node, out var at) ? $" (last heard {Time(at)}, {Ago(at, DateTimeOffset.UtcNow)})" : "";

    /// <summary>Labels as <c>--label</c> and <c>--selector</c> write them, comma-separated; "-" when there are none.</summary>
    public static string Labels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "-" : string.Join(",", labels.OrderBy(label => label.Key, StringComparer.Ordinal).Select(label => $"{label.Key}={label.Value}"));
}
