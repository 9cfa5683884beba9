namespace EventRuntime.Bench;

/// <summary>The whole-process scenarios run published executables; one that is not there fails the scenario with how to get it.</summary>
internal static class Executables
{
    public static string? Missing(params string[] paths) =>
        paths.FirstOrDefault(path => !File.Exists(path)) is { } absent
            ? $"FAILED: {absent} does not exist: infra/bench/run.sh publishes it, or pass --ert / --node-executable"
            : null;
}
