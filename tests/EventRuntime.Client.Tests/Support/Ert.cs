namespace EventRuntime.Client.Tests.Support;

/// <summary>
/// The real ert executable (src/EventRuntime.Cli) as a child process, with an empty config directory
/// and no RABBITMQ_URL or ERT_CONFIG unless a test gives them.
/// </summary>
internal static class Ert
{
    public static string ExecutablePath => ChildProcess.BuiltExecutable("EventRuntime.Cli", "ert");

    public static ChildProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RABBITMQ_URL"] = null,
            ["ERT_CONFIG"] = null,
            ["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "ert-test-no-config"),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }

        return ChildProcess.Start(ExecutablePath, arguments, settings);
    }

    /// <summary>Runs ert to its end; fails the test when it takes longer than <paramref name="within"/>.</summary>
    public static async Task<ProcessRun> RunAsync(IEnumerable<string> arguments, TimeSpan? within = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var ert = Start(arguments, environment);
        return await ert.WaitForExitAsync(within ?? TimeSpan.FromSeconds(90));
    }
}
