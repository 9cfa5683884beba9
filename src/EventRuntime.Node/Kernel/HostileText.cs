namespace EventRuntime.Node.Kernel;

/// <summary>Text from a sender, made safe to echo into logs, outcomes and headers.</summary>
public static class HostileText
{
    /// <summary>At most <paramref name="maxLength"/> characters of <paramref name="text"/>, control characters shown as '?' (they could forge log lines).</summary>
    public static string Printable(string? text, int maxLength) =>
        text is null ? "" : string.Concat(text.Take(maxLength).Select(c => char.IsControl(c) ? '?' : c));

    /// <summary><see cref="Printable"/>, with "…" where the text went on: a sender's text is echoed as a short prefix, never whole.</summary>
    public static string Quoted(string? text, int maxLength) =>
        Printable(text, maxLength) + (text?.Length > maxLength ? "…" : "");
}
