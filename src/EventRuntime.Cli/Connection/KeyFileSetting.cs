using System.Collections;

namespace EventRuntime.Cli.Connection;

/// <summary>The command key file that <c>ert stop</c> signs with, from <c>--key-file</c> or else <c>ERT_KEY_FILE</c>; none when neither is set.</summary>
internal sealed record KeyFileSetting(string Path, string Source)
{
    public const string EnvironmentVariable = "ERT_KEY_FILE";

    public static KeyFileSetting? Resolve(string? flag, IDictionary environment)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return new KeyFileSetting(flag, "--key-file");
        }

        return environment[EnvironmentVariable] is string fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment)
            ? new KeyFileSetting(fromEnvironment, EnvironmentVariable)
            : null;
    }
}
