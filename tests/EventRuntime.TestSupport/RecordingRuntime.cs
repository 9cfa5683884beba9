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

    public static RecordingRuntime Create(string directory, int stateLag = 0, int ignoredKills = 0)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "recording-runc");
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
            exec runc "$@"
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new RecordingRuntime(path, callLog);
    }

    /// <summary>Every call so far, as "VERB args..." (the --root prefix removed).</summary>
    public IReadOnlyList<string> Calls() =>
        File.Exists(CallLog)
            ? File.ReadAllLines(CallLog).Select(line => string.Join(' ', line.Split(' ').Skip(2))).ToList()
            : [];

    public IReadOnlyList<string> CallsOf(string verb) =>
        Calls().Where(call => call.StartsWith(verb + " ", StringComparison.Ordinal)).ToList();
}
