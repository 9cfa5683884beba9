using EventRuntime.Contracts;

namespace EventRuntime.Node.Presence;

/// <summary>Whether a fleet question (<see cref="ListContainers"/>, <see cref="PingNodes"/>) is this agent's to answer.</summary>
internal static class FleetQuestion
{
    /// <summary>
    /// True when <paramref name="nodes"/> is empty (the whole fleet is asked) or names <paramref name="node"/>, and the
    /// asker still listens: an answer after <paramref name="answerBy"/> would only load the broker.
    /// </summary>
    public static bool IsFor(string node, IReadOnlyList<string>? nodes, DateTimeOffset? answerBy, DateTimeOffset now) =>
        (nodes is null || nodes.Count == 0 || nodes.Contains(node, StringComparer.Ordinal))
        && (answerBy is null || answerBy >= now);
}
