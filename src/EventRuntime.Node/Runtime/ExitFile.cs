using System.Globalization;

namespace EventRuntime.Node.Runtime;

/// <summary>
/// Reads the exit status conmon wrote for a container: its decimal exit code, which is the container's own
/// code, or 128 + the signal number when a signal killed it (137 for SIGKILL), as conmon reports it.
/// </summary>
public static class ExitFile
{
    /// <summary>The code in <paramref name="path"/>; null while the file is missing or not yet complete.</summary>
    public static int? TryRead(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) ? code : null;
    }
}
