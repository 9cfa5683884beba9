using System.Text.Json;
using EventRuntime.Node.Kernel;

namespace EventRuntime.Node.Containers;

/// <summary>
/// One state file per container, <c>&lt;state&gt;/containers/&lt;id&gt;.json</c>. The files are the truth:
/// every lookup reads the file, so a container created by another process (the node's <c>create</c>
/// command) after the agent started is found. Writes are atomic (temp file, fsync, rename), so a crash
/// leaves either the old record or the new one, never half of one. This is CRI-O's ContainerStateToDisk.
/// </summary>
public sealed class ContainerStore
{
    private const string RecordExtension = ".json";
    private const string TempMarker = ".tmp-";

    private readonly string directory;

    public ContainerStore(string stateDirectory)
    {
        directory = Path.Combine(Path.GetFullPath(stateDirectory), "containers");
        Directory.CreateDirectory(directory);
    }

    /// <summary>Reads the record of <paramref name="containerId"/>; throws <see cref="ContainerNotFoundException"/> when there is none.</summary>
    public ContainerRecord Get(string containerId)
    {
        ContainerId.Validate(containerId);
        var path = PathOf(containerId);
        try
        {
            return Read(path);
        }
        catch (FileNotFoundException)
        {
            throw new ContainerNotFoundException(containerId);
        }
    }

    public bool Exists(string containerId) => ContainerId.Problem(containerId) is null && File.Exists(PathOf(containerId));

    /// <summary>Every record on disk; leftovers of interrupted writes are removed on the way.</summary>
    public IReadOnlyList<ContainerRecord> LoadAll()
    {
        var records = new List<ContainerRecord>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (Path.GetFileName(path).Contains(TempMarker, StringComparison.Ordinal))
            {
                DeleteLeftover(path);
                continue;
            }

            if (path.EndsWith(RecordExtension, StringComparison.Ordinal))
            {
                records.Add(Read(path));
            }
        }

        return records.OrderBy(record => record.Id, StringComparer.Ordinal).ToList();
    }

    public void Save(ContainerRecord record)
    {
        ContainerId.Validate(record.Id);
        var path = PathOf(record.Id);
        var temp = path + TempMarker + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, record with { UpdatedAt = DateTimeOffset.UtcNow }, ContainerRecordJsonContext.Default.ContainerRecord);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteLeftover(temp);
            throw new ContainerStoreException($"write state of container {record.Id} to {path}: {e.Message}", e);
        }
    }

    public void Delete(string containerId)
    {
        ContainerId.Validate(containerId);
        File.Delete(PathOf(containerId));
    }

    private string PathOf(string containerId) => Path.Combine(directory, containerId + RecordExtension);

    private static ContainerRecord Read(string path)
    {
        ContainerRecord? record;
        try
        {
            using var stream = File.OpenRead(path);
            record = JsonSerializer.Deserialize(stream, ContainerRecordJsonContext.Default.ContainerRecord);
        }
        catch (JsonException e)
        {
            throw new ContainerStoreException($"read container state {path}: {e.Message}", e);
        }

        if (record is null)
        {
            throw new ContainerStoreException($"read container state {path}: file is empty");
        }

        // The id inside a record is used for runtime calls and paths: a file edited by hand or by an
        // attacker must not smuggle in another container's id, or one that is no id at all.
        var fileId = Path.GetFileNameWithoutExtension(path);
        if (ContainerId.Problem(record.Id) is { } problem)
        {
            throw new ContainerStoreException($"read container state {path}: {problem}");
        }

        if (!string.Equals(record.Id, fileId, StringComparison.Ordinal))
        {
            throw new ContainerStoreException($"read container state {path}: it records container {record.Id}, not {fileId}");
        }

        if (record.FormatVersion > ContainerRecord.CurrentFormatVersion)
        {
            throw new ContainerStoreException(
                $"read container state {path}: format version {record.FormatVersion} is newer than this agent understands ({ContainerRecord.CurrentFormatVersion})");
        }

        return record;
    }

    private static void DeleteLeftover(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover that cannot be removed now is harmless: it is never read as a record.
        }
    }
}
