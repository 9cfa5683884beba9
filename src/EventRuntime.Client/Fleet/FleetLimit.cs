using System.Globalization;

namespace EventRuntime.Client;

/// <summary>
/// A limit over a fleet stop's targets, as AWS Systems Manager's MaxConcurrency and MaxErrors take it: a number
/// (<c>10</c>) or a percentage of the targets (<c>10%</c>).
/// </summary>
public readonly record struct FleetLimit
{
    private FleetLimit(int value, bool isPercent)
    {
        Value = value;
        IsPercent = isPercent;
    }

    /// <summary>The number, or the percentage when <see cref="IsPercent"/>.</summary>
    public int Value { get; }

    /// <summary>Whether <see cref="Value"/> is a percentage of the targets.</summary>
    public bool IsPercent { get; }

    /// <summary>A limit of <paramref name="count"/> targets.</summary>
    public static FleetLimit Count(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new FleetLimit(count, isPercent: false);
    }

    /// <summary>A limit of <paramref name="percent"/> % of the targets.</summary>
    public static FleetLimit Percent(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        return new FleetLimit(percent, isPercent: true);
    }

    /// <summary>Reads <c>N</c> or <c>N%</c>; throws <see cref="FormatException"/> for anything else.</summary>
    public static FleetLimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var percent = text.EndsWith('%');
        var number = percent ? text[..^1] : text;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || (percent && value > 100))
        {
            throw new FormatException($"\"{text}\" is not a number of targets (10) or a percentage of them (10%, at most 100%)");
        }

        return new FleetLimit(value, percent);
    }

    /// <summary>
    /// The limit for <paramref name="targets"/> targets. A percentage of concurrency rounds up (10% of 5 targets still
    /// sends one at a time, never none); a percentage of errors rounds down (10% of 5 allows no error), both as AWS does.
    /// </summary>
    internal int Of(int targets, bool roundUp) =>
        !IsPercent ? Value
        : roundUp ? (int)Math.Ceiling(targets * Value / 100.0)
        : (int)Math.Floor(targets * Value / 100.0);

    /// <summary>The limit as <see cref="Parse"/> reads it.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture) + (IsPercent ? "%" : "");
}
