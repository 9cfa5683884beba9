namespace EventRuntime.Node.Runtime;

/// <summary>Finds a program the way a shell would, for the tools (conmon) that need the runtime as an absolute path.</summary>
internal static class ExecutablePath
{
    /// <summary><paramref name="program"/> itself when it holds a slash, else the first executable of that name on PATH; null when none.</summary>
    public static string? Resolve(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(candidate => File.Exists(candidate)
                                         && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
    }
}
