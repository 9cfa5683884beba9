using System.Text.RegularExpressions;

namespace EventRuntime.Node.Kernel;

/// <summary>
/// Container ids become file names, mount paths and runtime arguments, so they are checked before
/// any of those: no separators, no "..", no leading '-' that a runtime could read as an option.
/// </summary>
public static partial class ContainerId
{
    public const int MaxLength = 128;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidId();

    /// <summary>Returns null when <paramref name="id"/> is valid, otherwise why it is not.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "container id is empty";
        }

        if (id.Length > MaxLength)
        {
            return $"container id is {id.Length} characters long; at most {MaxLength} are allowed";
        }

        return ValidId().IsMatch(id)
            ? null
            : $"container id \"{HostileText.Quoted(id, 64)}\" is invalid: it must match [A-Za-z0-9][A-Za-z0-9_.-]{{0,127}}";
    }

    public static void Validate(string? id)
    {
        if (Problem(id) is { } problem)
        {
            throw new ArgumentException(problem, nameof(id));
        }
    }
}
