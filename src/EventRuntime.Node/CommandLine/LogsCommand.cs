using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.CommandLine;

/// <summary>
/// <c>eventruntime-node logs ID [--follow]</c>: the container's output from the CRI log its conmon writes,
/// as <c>crictl logs</c> prints it: each entry's message, the container's stdout on stdout and its stderr on
/// stderr. With <c>--follow</c> it keeps printing until the container's conmon is gone (it writes
/// everything first), or until Ctrl-C. Runs without a host (see <see cref="LocalNode"/>).
/// </summary>
internal static class LogsCommand
{
    private static readonly string[] FollowSwitches = ["--follow", "-f"];
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(NodeCommandLine commandLine, LocalNode node, CancellationToken cancellationToken)
    {
        var positionals = commandLine.Positionals(FollowSwitches);
        if (positionals.Count != 1)
        {
            throw new UsageException("usage: eventruntime-node logs <id> [--follow]");
        }

        var follow = FollowSwitches.Any(commandLine.Switch);
        var store = node.Store;
        var record = store.Get(positionals[0]);
        if (record.LogPath is not { } logPath)
        {
            throw new InvalidOperationException($"container {record.Id} has no log: it was created before the node ran containers under conmon");
        }

        using var log = OpenLog(record.Id, logPath);
        using var reader = new StreamReader(log);
        var pending = "";
        try
        {
            while (true)
            {
                // Read what is there; a line without its newline yet is kept until conmon finishes it.
                var chunk = await reader.ReadToEndAsync(cancellationToken);
                var lines = (pending + chunk).Split('\n');
                pending = lines[^1];
                foreach (var line in lines[..^1])
                {
                    Print(CriLogLine.Parse(line));
                }

                if (!follow || (chunk.Length == 0 && MonitorState.Of(store.Get(record.Id)) != MonitorState.Running))
                {
                    break;
                }

                if (chunk.Length == 0)
                {
                    await Task.Delay(FollowInterval, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C ends a follow; what was printed stands.
        }

        Print(CriLogLine.Parse(pending));
        return 0;
    }

    private static FileStream OpenLog(string containerId, string logPath)
    {
        try
        {
            return new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // conmon creates the log when it starts: no file means the container wrote nothing yet or its bundle is gone.
            throw new InvalidOperationException($"failed to read the log of container {containerId}: {logPath} does not exist", e);
        }
    }

    private static void Print(CriLogLine? entry)
    {
        if (entry is null)
        {
            return;
        }

        var writer = entry.Stream == "stderr" ? Console.Error : Console.Out;
        if (entry.Partial)
        {
            writer.Write(entry.Message);
        }
        else
        {
            writer.WriteLine(entry.Message);
        }
    }
}
