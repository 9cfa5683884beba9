namespace EventRuntime.Node.Runtime;

/// <summary>
/// Removes a container's cgroup (its <c>linux.cgroupsPath</c>) from every hierarchy it was created in.
/// runc removes the leaf when it deletes a container it knows; this also covers a container that runc
/// no longer knows (its state was on tmpfs) or a runtime that leaves it, and the node's parent once empty.
/// </summary>
public static class ContainerCgroup
{
    private const string CgroupRoot = "/sys/fs/cgroup";

    /// <summary>
    /// Removes <paramref name="cgroupsPath"/> and then its parent when that is empty. Returns the directories
    /// that are still there (a cgroup with a process left in it cannot be removed); empty when all are gone.
    /// </summary>
    public static IReadOnlyList<string> Remove(string cgroupsPath)
    {
        var left = new List<string>();
        foreach (var hierarchy in Hierarchies())
        {
            var leaf = hierarchy + cgroupsPath;
            if (!TryRemove(leaf))
            {
                left.Add(leaf);
                continue;
            }

            // The node's parent goes with its last container; a sibling keeps it, which rmdir tells us.
            _ = TryRemove(Path.GetDirectoryName(leaf)!);
        }

        return left;
    }

    /// <summary>The directories of <paramref name="cgroupsPath"/> that exist now, one per hierarchy.</summary>
    public static IReadOnlyList<string> Existing(string cgroupsPath) =>
        Hierarchies().Select(hierarchy => hierarchy + cgroupsPath).Where(Directory.Exists).ToList();

    // cgroup v2 has one hierarchy at the root; v1 and hybrid hosts mount one per controller below it
    // (cpu and cpuacct may be links to one directory: a second rmdir of it finds nothing to do).
    private static IEnumerable<string> Hierarchies()
    {
        if (!Directory.Exists(CgroupRoot))
        {
            return [];
        }

        return [CgroupRoot, .. Directory.EnumerateDirectories(CgroupRoot)];
    }

    // True when the directory is gone afterwards. rmdir on a cgroup removes it with its control files.
    private static bool TryRemove(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: false);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return !Directory.Exists(directory);
        }
    }
}
