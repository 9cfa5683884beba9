namespace EventRuntime.TestSupport;

/// <summary>A minimal container root: the static busybox from Debian's busybox-static and its applet links.</summary>
public static class BusyboxRootfs
{
    private const string BusyboxPath = "/bin/busybox";
    private static readonly string[] Applets = ["sh", "sleep", "true", "cat", "echo", "ls", "kill", "ps", "trap"];

    /// <summary>What the commands below print once their TERM trap is set: under runsc the only way to know it is set.</summary>
    public const string TrapSet = "trap set";

    /// <summary>A container command that exits 0 on SIGTERM.</summary>
    public static readonly string[] TrapsTerm = ["/bin/sh", "-c", $"trap 'exit 0' TERM; echo {TrapSet}; while true; do sleep 1 & wait $!; done"];

    /// <summary>A container command that exits 3 on SIGTERM: its exit code shows which code came back.</summary>
    public static readonly string[] ExitsThreeOnTerm = ["/bin/sh", "-c", $"trap 'exit 3' TERM; echo {TrapSet}; while true; do sleep 1 & wait $!; done"];

    /// <summary>
    /// A container that ignores SIGTERM by saying so (<c>trap '' TERM</c>). gVisor does not give a PID 1 without a
    /// handler Linux's protection (a TERM kills <see cref="IgnoresTerm"/> there, with 143), so under runsc this is
    /// the container that only SIGKILL stops.
    /// </summary>
    public static readonly string[] IgnoresTermByTrap = ["/bin/sh", "-c", $"trap '' TERM; echo {TrapSet}; while true; do sleep 1 & wait $!; done"];

    /// <summary>A container that prints two lines, one to stdout and one to stderr, then waits for TERM.</summary>
    public static readonly string[] PrintsThenTrapsTerm =
        ["/bin/sh", "-c", "echo hello from stdout; echo hello from stderr >&2; trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"];

    /// <summary>PID 1 without a TERM handler: the kernel drops SIGTERM, only SIGKILL stops it.</summary>
    public static readonly string[] IgnoresTerm = ["/bin/sleep", "100000"];

    /// <summary>The commands above that set a TERM trap (a TERM sent before the trap is set is dropped).</summary>
    /// <summary>Traps TERM and takes a second to exit: a stop of it is in flight long enough to be seen overlapping another.</summary>
    public static readonly string[] ExitsSlowlyOnTerm = ["/bin/sh", "-c", $"trap 'sleep 1; exit 0' TERM; echo {TrapSet}; while true; do sleep 1 & wait $!; done"];

    public static IReadOnlyList<string[]> TermTrappers => [TrapsTerm, ExitsThreeOnTerm, PrintsThenTrapsTerm, ExitsSlowlyOnTerm];

    /// <summary>The commands above that print <see cref="TrapSet"/>.</summary>
    public static IReadOnlyList<string[]> SayWhenTrapped => [TrapsTerm, ExitsThreeOnTerm, IgnoresTermByTrap, ExitsSlowlyOnTerm];

    public static string Create(string directory)
    {
        if (!File.Exists(BusyboxPath))
        {
            throw new InvalidOperationException($"{BusyboxPath} is missing: install busybox-static (infra/ci/setup.sh does)");
        }

        var bin = Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
        foreach (var dir in new[] { "proc", "dev", "sys", "tmp", "etc", "root" })
        {
            Directory.CreateDirectory(Path.Combine(directory, dir));
        }

        File.Copy(BusyboxPath, Path.Combine(bin, "busybox"), overwrite: true);
        foreach (var applet in Applets)
        {
            var link = Path.Combine(bin, applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        return Path.GetFullPath(directory);
    }
}
