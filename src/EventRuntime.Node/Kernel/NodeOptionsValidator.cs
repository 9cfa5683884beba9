using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Kernel;

/// <summary>Checks the node's settings at start; each failure is one line naming the setting, its value and why.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    /// <summary>What RabbitMQ's node users may also read besides their command queue (infra/rabbitmq/add-node.sh refuses the same names).</summary>
    public static readonly string[] QueueSuffixes = ["_error", "_skipped", "_fleet"];

    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var failures = new List<string>();
        if (ContainerId.Problem(options.Name) is not null)
        {
            failures.Add($"Node:Name \"{HostileText.Quoted(options.Name, 64)}\" must match [A-Za-z0-9][A-Za-z0-9_.-]{{0,127}}");
        }
        else if (QueueSuffixes.FirstOrDefault(suffix => options.Name.EndsWith(suffix, StringComparison.Ordinal)) is { } suffix)
        {
            // Node X's queues are eventruntime-node-X, -X_error, -X_skipped and -X_fleet: a node named X_error would share a name, and rights, with them.
            failures.Add($"Node:Name \"{options.Name}\" must not end in {suffix}: eventruntime-node-{options.Name} is node {options.Name[..^suffix.Length]}'s {suffix[1..]} queue");
        }

        if (!Path.IsPathRooted(options.StateDirectory))
        {
            failures.Add($"Node:StateDirectory \"{options.StateDirectory}\" must be an absolute path");
        }
        else if (WriteProblem(options.StateDirectory) is { } problem)
        {
            failures.Add($"Node:StateDirectory {options.StateDirectory} is not a writable directory: {problem}");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"Node:HeartbeatInterval {options.HeartbeatInterval} must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // One page, written through to the disk: an empty file needs no free block, and a full disk still takes it.
    private static readonly byte[] ProbeBytes = new byte[4096];

    /// <summary>Null when <paramref name="directory"/> exists (or can be made) and takes a real write; otherwise why not.</summary>
    internal static string? WriteProblem(string directory)
    {
        var probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write))
            {
                stream.Write(ProbeBytes);
                stream.Flush(flushToDisk: true);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        finally
        {
            TryDelete(probe);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A probe left behind is harmless; the next one replaces it.
        }
    }
}
