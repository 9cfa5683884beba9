namespace EventRuntime.Node.Runtime;

/// <summary>Signal names as the runtime's <c>kill</c> takes them, in one canonical spelling ("SIGTERM").</summary>
public static class Signals
{
    public const string Term = "SIGTERM";
    public const string Kill = "SIGKILL";

    private static readonly Dictionary<int, string> ByNumber = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [6] = "SIGABRT", [9] = Kill, [10] = "SIGUSR1",
        [12] = "SIGUSR2", [14] = "SIGALRM", [15] = Term, [28] = "SIGWINCH", [30] = "SIGPWR",
    };

    /// <summary>Accepts "TERM", "SIGTERM", "sigterm" or "15"; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static string Normalize(string signal)
    {
        var text = signal.Trim().ToUpperInvariant();
        if (int.TryParse(text, out var number))
        {
            return ByNumber.TryGetValue(number, out var named)
                ? named
                : throw new ArgumentException($"unknown signal number {number}", nameof(signal));
        }

        var name = text.StartsWith("SIG", StringComparison.Ordinal) ? text : "SIG" + text;
        return ByNumber.ContainsValue(name)
            ? name
            : throw new ArgumentException($"unknown signal \"{signal}\"", nameof(signal));
    }
}
