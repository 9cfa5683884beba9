using System.Text;

namespace EventRuntime.Node.Storage;

/// <summary>
/// Reads mount points from <c>/proc/self/mountinfo</c>: the kernel's truth, not our memory of what
/// we mounted (another process, or a crash between mount and record, can make the two differ).
/// </summary>
public static class MountInfo
{
    private const string MountInfoPath = "/proc/self/mountinfo";

    public static bool IsMounted(string mountPoint)
    {
        var wanted = Path.GetFullPath(mountPoint).TrimEnd('/');
        return MountPoints().Any(point => point == wanted);
    }

    /// <summary>Every mount point, in mount order (field 5 of each line, with octal escapes decoded).</summary>
    public static IEnumerable<string> MountPoints()
    {
        foreach (var line in File.ReadLines(MountInfoPath))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4)
            {
                yield return Unescape(fields[4]);
            }
        }
    }

    // The kernel escapes space, tab, newline and backslash as \ooo.
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text.AsSpan(start, 3).IndexOfAnyExceptInRange('0', '7') < 0;
}
