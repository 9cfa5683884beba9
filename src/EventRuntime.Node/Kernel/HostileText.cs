namespace EventRuntime.Node.Kernel;

/// <summary>Text from a sender, made safe to echo into logs, outcomes and headers.</summary>
public static class HostileText
{
    /// <summary>At most <paramref name="maxLength"/> characters of <paramref name="text"/>, control characters shown as '?' (they could forge log lines).</summary>
    public static string Printable(string? text, int maxLength) =>
        text is null ? "" : string.Concat(text.Take(maxLength).Select(c => char.IsControl(c) ? '?' : c));
}
