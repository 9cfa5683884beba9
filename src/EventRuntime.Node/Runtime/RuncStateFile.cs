using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventRuntime.Node.Runtime;

/// <summary>
/// Reads a container's status the way <c>runc state</c> computes it, without starting a runc process:
/// runc keeps no daemon, so its answer is always made of the same three facts — the state file it wrote
/// at create (<c>ROOT/ID/state.json</c>: init pid and its start time, cgroup paths), the kernel's view of
/// that pid, and the cgroup freezer. Reading them here saves a process start (~6 ms, and CPU in a storm)
/// per status check. Only for runc itself: a VM-based runtime's state lives behind its own command.
/// </summary>
internal static class RuncStateFile
{
    private const string StateFileName = "state.json";

    // runc creates this FIFO at create and removes it at start; while it exists the container is "created".
    private const string ExecFifoName = "exec.fifo";

    /// <summary>
    /// The container's state, or a <see cref="RuntimeException"/> of kind NotFound when runc holds no such
    /// container. Throws <see cref="FormatException"/> when the file is not what runc 1.1 writes.
    /// </summary>
    public static RuntimeState Read(string root, string containerId, string runtimeName)
    {
        var directory = Path.Combine(root, containerId);
        string json;
        try
        {
            json = File.ReadAllText(Path.Combine(directory, StateFileName));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // runc's own words for the same case, so the error classifier and callers see one message.
            throw new RuntimeException(RuntimeErrorKind.NotFound, $"{runtimeName} state: container does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeException(RuntimeErrorKind.Failed, $"{runtimeName} state: cannot read {StateFileName} of container {containerId}: {e.Message}", e);
        }

        var file = Parse(json);
        var status = StatusOf(file, directory);
        var pid = status == RuntimeStatus.Stopped ? 0 : file.InitProcessPid;
        return new RuntimeState(containerId, status, pid, BundleOf(file));
    }

    private static RuncStateFileDto Parse(string json)
    {
        RuncStateFileDto? file;
        try
        {
            file = JsonSerializer.Deserialize(json, RuncStateFileJsonContext.Default.RuncStateFileDto);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{StateFileName} is not JSON: {e.Message}", e);
        }

        if (file is null || file.InitProcessPid <= 0 || file.InitProcessStart == 0)
        {
            throw new FormatException($"{StateFileName} names no init process");
        }

        return file;
    }

    // runc's order (libcontainer refreshState): paused first, then whether init still runs, then created.
    private static RuntimeStatus StatusOf(RuncStateFileDto file, string directory)
    {
        if (IsFrozen(file))
        {
            return RuntimeStatus.Paused;
        }

        if (!InitProcessRuns(file.InitProcessPid, file.InitProcessStart))
        {
            return RuntimeStatus.Stopped;
        }

        return File.Exists(Path.Combine(directory, ExecFifoName)) ? RuntimeStatus.Created : RuntimeStatus.Running;
    }

    // The pid alone is not enough: after an exit the kernel may give it to another process, which the
    // start time tells apart.
    private static bool InitProcessRuns(int pid, ulong startTime) =>
        ProcessStat.Read(pid) is { HasExited: false } stat && stat.StartTime == startTime;

    private static bool IsFrozen(RuncStateFileDto file)
    {
        var paths = file.CgroupPaths ?? [];
        if (paths.TryGetValue("freezer", out var freezer))
        {
            return FreezerV1IsFrozen(freezer);
        }

        // cgroup v2 only: runc keeps one unified path under the empty key.
        return paths.TryGetValue("", out var unified) && ReadTrimmed(Path.Combine(unified, "cgroup.freeze")) == "1";
    }

    private static bool FreezerV1IsFrozen(string path)
    {
        // FREEZING is a passing state; runc waits for it to settle, and so do we, briefly.
        for (var attempt = 0; ; attempt++)
        {
            switch (ReadTrimmed(Path.Combine(path, "freezer.state")))
            {
                case null or "THAWED":
                    return false;
                case "FROZEN":
                    // Frozen through an ancestor only is not a pause of this container.
                    return ReadTrimmed(Path.Combine(path, "freezer.self_freezing")) is null or "1";
                case "FREEZING" when attempt < 1000:
                    Thread.Sleep(1);
                    continue;
                case var other:
                    throw new FormatException($"unknown freezer state \"{other}\" in {path}");
            }
        }
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // The cgroup goes away with the container's last process.
            return null;
        }
    }

    private static string BundleOf(RuncStateFileDto file) =>
        file.Config?.Labels?.FirstOrDefault(label => label.StartsWith("bundle=", StringComparison.Ordinal)) is { } bundle
            ? bundle["bundle=".Length..]
            : "";
}

internal sealed record RuncStateFileDto(
    [property: JsonPropertyName("init_process_pid")] int InitProcessPid,
    [property: JsonPropertyName("init_process_start")] ulong InitProcessStart,
    [property: JsonPropertyName("cgroup_paths")] Dictionary<string, string>? CgroupPaths,
    [property: JsonPropertyName("config")] RuncStateFileConfigDto? Config);

internal sealed record RuncStateFileConfigDto(
    [property: JsonPropertyName("labels")] string[]? Labels);

[JsonSerializable(typeof(RuncStateFileDto))]
internal sealed partial class RuncStateFileJsonContext : JsonSerializerContext;
