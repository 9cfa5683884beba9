using System.Text.RegularExpressions;

namespace EventRuntime.Contracts;

/// <summary>
/// Container labels as the wire carries them: <c>key=value</c> pairs with Kubernetes' shape, checked the same
/// way by <c>eventruntime-node create --label</c>, by the agent reading a selector and by the client building one.
/// </summary>
public static partial class Labels
{
    /// <summary>At most this many labels per container: a record and an inventory answer stay small.</summary>
    public const int MaxCount = 64;

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_./-]{0,62})$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidKey();

    [GeneratedRegex("^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidValue();

    /// <summary>Why <paramref name="key"/> cannot be a label key, or null when it can.</summary>
    public static string? KeyProblem(string? key) =>
        string.IsNullOrEmpty(key) ? "a label key is empty"
        : ValidKey().IsMatch(key) ? null
        : $"label key \"{Shorten(key)}\" is invalid: it must match [A-Za-z0-9][A-Za-z0-9_./-]{{0,62}}";

    /// <summary>Why <paramref name="value"/> cannot be a label value, or null when it can (empty is allowed).</summary>
    public static string? ValueProblem(string? value) =>
        value is null ? "a label value is missing"
        : ValidValue().IsMatch(value) ? null
        : $"label value \"{Shorten(value)}\" is invalid: at most 63 of [A-Za-z0-9_.-], starting and ending with a letter or digit";

    /// <summary>Parses <c>key=value</c> pairs (as given to <c>--label</c>); throws <see cref="FormatException"/> naming the first bad one.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new FormatException($"label \"{Shorten(pair)}\" is not key=value");
            }

            var (key, value) = (pair[..equals], pair[(equals + 1)..]);
            if ((KeyProblem(key) ?? ValueProblem(value)) is { } problem)
            {
                throw new FormatException(problem);
            }

            if (!labels.TryAdd(key, value))
            {
                throw new FormatException($"label {key} is given twice");
            }
        }

        return labels.Count <= MaxCount ? labels : throw new FormatException($"{labels.Count} labels given; at most {MaxCount} are allowed");
    }

    private static string Shorten(string text)
    {
        var printable = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? printable + "…" : printable;
    }
}
