namespace EventRuntime.TestSupport;

/// <summary>
/// A shell script that stands in for the runtime binary: it logs every call, then runs the real runc.
/// With <c>stateLag</c> &gt; 0 it plays a VM-based runtime: the first <c>stateLag</c> times runc's
/// <c>state</c> says "stopped", the script still reports "running". With <c>ignoredKills</c> &gt; 0 it plays
/// a process in uninterruptible sleep: that many SIGKILLs are accepted and have no effect.
/// </summary>
public sealed class RecordingRuntime
{
    private RecordingRuntime(string path, string callLog)
    {
        Path = path;
        CallLog = callLog;
    }

    public string Path { get; }

    public string CallLog { get; }

    /// <param name="directory">Where the script and its call log go.</param>
    /// <param name="stateLag">How many "stopped" answers of runc's state are turned into "running" (runc only).</param>
    /// <param name="ignoredKills">How many SIGKILLs to every process are swallowed (runc only).</param>
    /// <param name="realRuntime">The runtime the script runs: runc, or runsc (whose calls carry <c>--network=…</c> after the root).</param>
    public static RecordingRuntime Create(string directory, int stateLag = 0, int ignoredKills = 0, string realRuntime = "runc")
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "recording-" + realRuntime);
        var callLog = System.IO.Path.Combine(directory, "runtime-calls.log");
        var lagCounter = System.IO.Path.Combine(directory, "state-lag.count");
        var killCounter = System.IO.Path.Combine(directory, "ignored-kills.count");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            # Arguments: --root DIR VERB ...
            echo "$*" >> '{{callLog}}'
            if [ "$3" = state ] && [ {{stateLag}} -gt 0 ]; then
              out=$(runc "$@"); rc=$?
              if printf '%s' "$out" | grep -q '"status": "stopped"'; then
                n=$(cat '{{lagCounter}}' 2>/dev/null || echo 0)
                if [ "$n" -lt {{stateLag}} ]; then
                  echo $((n + 1)) > '{{lagCounter}}'
                  printf '%s\n' "$out" | sed 's/"status": "stopped"/"status": "running"/'
                  exit 0
                fi
              fi
              printf '%s\n' "$out"
              exit $rc
            fi
            if [ "$3" = kill ] && [ "$4" = --all ] && [ {{ignoredKills}} -gt 0 ]; then
              n=$(cat '{{killCounter}}' 2>/dev/null || echo 0)
              if [ "$n" -lt {{ignoredKills}} ]; then
                echo $((n + 1)) > '{{killCounter}}'
                exit 0
              fi
            fi
            exec {{realRuntime}} "$@"
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new RecordingRuntime(path, callLog);
    }

    /// <summary>Every call so far, as "VERB args..." (the --root prefix and runsc's --network=… removed).</summary>
    public IReadOnlyList<string> Calls() =>
        File.Exists(CallLog)
            ? File.ReadAllLines(CallLog)
                .Select(line => string.Join(' ', line.Split(' ').Skip(2).SkipWhile(word => word.StartsWith("--network=", StringComparison.Ordinal))))
                .ToList()
            : [];

    public IReadOnlyList<string> CallsOf(string verb) =>
        Calls().Where(call => call.StartsWith(verb + " ", StringComparison.Ordinal)).ToList();
}
