namespace EventRuntime.Node.Operations;

/// <summary>The one rule for the HTTP endpoints the agent sends to (an OTLP collector, Seq).</summary>
public static class HttpUrl
{
    /// <summary>Null for an absolute http:// or https:// URL, otherwise what is wrong with it.</summary>
    public static string? Problem(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : $"\"{url}\" is not an absolute http:// or https:// URL";
}
