namespace EventRuntime.Node.Sagas;

/// <summary>
/// The descriptors through which this process holds the saga database and its write-ahead log, found in
/// /proc/self/fd once the database is open. Linux marks a descriptor's link " (deleted)" once its file was
/// unlinked, which is how a database deleted under a running agent is noticed.
/// </summary>
internal sealed class OpenFiles
{
    private const string Deleted = " (deleted)";
    private readonly IReadOnlyList<(string Descriptor, string Path)> held;

    private OpenFiles(IReadOnlyList<(string Descriptor, string Path)> held) => this.held = held;

    public static OpenFiles Of(string databasePath)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal) { databasePath, databasePath + "-wal" };
        var held = new List<(string, string)>();
        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (LinkOf(descriptor) is { } target && wanted.Contains(target))
            {
                held.Add((descriptor, target));
            }
        }

        return new OpenFiles(held);
    }

    /// <summary>True while this process holds <paramref name="path"/> and it was not unlinked.</summary>
    public bool StillHolds(string path) =>
        held.Any(file => file.Path == path && LinkOf(file.Descriptor) == path);

    /// <summary>The first held file that was unlinked (or whose descriptor now names another file), or null.</summary>
    public string? Unlinked() =>
        held.FirstOrDefault(file => LinkOf(file.Descriptor) is not { } now || now != file.Path).Path;

    private static string? LinkOf(string descriptor)
    {
        try
        {
            return new FileInfo(descriptor).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
