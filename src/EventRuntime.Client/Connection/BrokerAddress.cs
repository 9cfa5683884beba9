namespace EventRuntime.Client;

/// <summary>Broker URLs as they may appear in messages: without the password.</summary>
public static class BrokerAddress
{
    /// <summary>amqp://user@host:port/vhost of <paramref name="url"/>.</summary>
    public static string Describe(Uri url)
    {
        var user = url.UserInfo.Split(':', 2)[0];
        var port = url.IsDefaultPort || url.Port < 0 ? "" : ":" + url.Port;
        return $"{url.Scheme}://{(user.Length > 0 ? user + "@" : "")}{url.Host}{port}{url.AbsolutePath}";
    }

    /// <summary>Why <paramref name="url"/> cannot be a broker URL, or null when it can.</summary>
    public static string? Problem(Uri url) =>
        !url.IsAbsoluteUri ? "it is not an absolute URL"
        : url.Scheme is not ("amqp" or "amqps") ? $"the scheme is {url.Scheme}, not amqp or amqps"
        : string.IsNullOrEmpty(url.Host) ? "it names no host"
        : null;
}
