namespace EventRuntime.Node.Runtime;

/// <summary>
/// conmon's command line for creating one container, as CRI-O and podman run it (conmon 2.1): conmon
/// starts <c>RUNTIME [runtime args] create</c>, keeps the container's stdio (written to a CRI log), makes
/// itself the container's subreaper and writes its exit status to <c>EXIT_DIR/ID</c>. Without
/// <c>--socket-dir-path</c> conmon 2.1.6 exits 1 without a word: it wants /var/run/crio.
/// </summary>
internal static class ConmonCommand
{
    public static IReadOnlyList<string> Arguments(
        string containerId, string bundle, string runtimePath, IEnumerable<string> runtimeArguments, MonitorFiles files) =>
    [
        "--api-version", "1",
        "-c", containerId,
        "-u", containerId,
        "-n", containerId,
        "-r", runtimePath,
        "-b", bundle,
        "-p", files.PidFile,
        "--conmon-pidfile", files.MonitorPidFile,
        "--exit-dir", files.ExitDirectory,
        "--log-path", files.LogPath,
        "--log-level", "warning",
        "--socket-dir-path", files.SocketDirectory,
        // The runtime's own error log, in JSON: the one place a failed create explains itself, since
        // conmon has left our pipes by then.
        .. RuntimeArgument("--log-format=json"),
        .. RuntimeArgument("--log=" + files.RuntimeLog),
        .. runtimeArguments.SelectMany(RuntimeArgument),
    ];

    private static string[] RuntimeArgument(string argument) => ["--runtime-arg", argument];
}
