namespace EventRuntime.Client;

/// <summary>Which outcome events a subscriber wants; a null field matches everything.</summary>
/// <param name="Node">Only outcomes from this node.</param>
/// <param name="ContainerId">Only outcomes for this container.</param>
/// <param name="Kind">Only stopped, or only failed.</param>
public sealed record OutcomeFilter(string? Node = null, string? ContainerId = null, OutcomeKind? Kind = null)
{
    /// <summary>Every outcome event.</summary>
    public static OutcomeFilter All { get; } = new();

    /// <summary>Whether <paramref name="outcome"/> passes every field that is set.</summary>
    public bool Matches(OutcomeEvent outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return (Node is null || string.Equals(Node, outcome.Node, StringComparison.Ordinal))
            && (ContainerId is null || string.Equals(ContainerId, outcome.ContainerId, StringComparison.Ordinal))
            && (Kind is null || Kind == outcome.Kind);
    }
}
