namespace EventRuntime.Contracts;

/// <summary>
/// A label selector as <c>ert ps --selector</c> takes it and <see cref="ListContainers.Selector"/> carries it:
/// comma-separated requirements, each <c>key=value</c>, <c>key!=value</c>, <c>key</c> (present) or <c>!key</c>
/// (absent), all of which must hold. The empty selector matches every container. Kubernetes' equality-based selectors.
/// </summary>
public sealed record LabelSelector
{
    /// <summary>The selector that matches everything.</summary>
    public static readonly LabelSelector Everything = new([]);

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    /// <summary>The requirements, in the order given.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the first requirement that is not one.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            requirements.Add(LabelRequirement.Parse(part));
        }

        return requirements.Count <= Labels.MaxCount
            ? new LabelSelector(requirements)
            : throw new FormatException($"the selector has {requirements.Count} requirements; at most {Labels.MaxCount} are allowed");
    }

    /// <summary>Whether a container with <paramref name="labels"/> satisfies every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Requirements.All(requirement => requirement.Matches(labels));
    }

    /// <summary>The selector in the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => string.Join(",", Requirements);
}

/// <summary>One requirement of a <see cref="LabelSelector"/>.</summary>
/// <param name="Key">The label key.</param>
/// <param name="Operator">What must hold of it.</param>
/// <param name="Value">The value compared with, for <see cref="LabelOperator.Equal"/> and <see cref="LabelOperator.NotEqual"/>.</param>
public sealed record LabelRequirement(string Key, LabelOperator Operator, string Value = "")
{
    /// <summary>Parses one requirement; throws <see cref="FormatException"/> when it is none.</summary>
    public static LabelRequirement Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var notEquals = text.IndexOf("!=", StringComparison.Ordinal);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var requirement = notEquals >= 0 ? new LabelRequirement(text[..notEquals], LabelOperator.NotEqual, text[(notEquals + 2)..])
            : equals >= 0 ? new LabelRequirement(text[..equals], LabelOperator.Equal, text[(equals + 1)..].TrimStart('='))
            : text.StartsWith('!') ? new LabelRequirement(text[1..], LabelOperator.Absent)
            : new LabelRequirement(text, LabelOperator.Present);
        if ((Labels.KeyProblem(requirement.Key) ?? Labels.ValueProblem(requirement.Value)) is { } problem)
        {
            throw new FormatException($"selector requirement \"{(text.Length > 64 ? text[..64] + "…" : text)}\": {problem}");
        }

        return requirement;
    }

    /// <summary>Whether <paramref name="labels"/> satisfy this requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var has = labels.TryGetValue(Key, out var actual);
        return Operator switch
        {
            LabelOperator.Equal => has && actual == Value,
            // As in Kubernetes: a container without the key satisfies key!=value.
            LabelOperator.NotEqual => !has || actual != Value,
            LabelOperator.Present => has,
            LabelOperator.Absent => !has,
            _ => false,
        };
    }

    /// <summary>The requirement as it is written in a selector.</summary>
    public override string ToString() => Operator switch
    {
        LabelOperator.Equal => $"{Key}={Value}",
        LabelOperator.NotEqual => $"{Key}!={Value}",
        LabelOperator.Absent => "!" + Key,
        _ => Key,
    };
}

/// <summary>What a <see cref="LabelRequirement"/> asks of its key.</summary>
public enum LabelOperator
{
    /// <summary><c>key=value</c>: the label is there with that value.</summary>
    Equal,

    /// <summary><c>key!=value</c>: the label is absent or has another value.</summary>
    NotEqual,

    /// <summary><c>key</c>: the label is there.</summary>
    Present,

    /// <summary><c>!key</c>: the label is not there.</summary>
    Absent,
}
