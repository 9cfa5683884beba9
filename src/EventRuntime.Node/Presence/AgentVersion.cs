using System.Reflection;

namespace EventRuntime.Node.Presence;

/// <summary>The agent's version as heartbeats report it: the informational version, commit hash shortened.</summary>
public static class AgentVersion
{
    private const int ShortHashLength = 7;

    public static string Current { get; } = Describe(typeof(AgentVersion).Assembly);

    internal static string Describe(Assembly assembly) =>
        Shorten(assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown");

    /// <summary>"1.0.0+&lt;40 hex&gt;" → "1.0.0+&lt;7 hex&gt;": the SDK appends the full commit hash, seven characters identify a build just as well.</summary>
    internal static string Shorten(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && version.Length > plus + 1 + ShortHashLength ? version[..(plus + 1 + ShortHashLength)] : version;
    }
}
