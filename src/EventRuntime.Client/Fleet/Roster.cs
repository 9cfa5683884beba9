using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>
/// The agents the roster stream (<see cref="RosterStream"/>) heard from within its window and that have not said they
/// were leaving since, each with its last heartbeat: the agents a question to every node should hear from.
/// </summary>
internal sealed record Roster(IReadOnlyDictionary<string, NodeHeartbeat> Members)
{
    /// <summary>Folds heartbeats, in any order, into the roster: a node's latest heartbeat counts, and a leaving one removes it.</summary>
    public static Roster Of(IEnumerable<NodeHeartbeat> heartbeats)
    {
        var latest = new Dictionary<string, NodeHeartbeat>(StringComparer.Ordinal);
        foreach (var heartbeat in heartbeats)
        {
            if (heartbeat.Node.Length > 0 && (!latest.TryGetValue(heartbeat.Node, out var known) || known.SentAt <= heartbeat.SentAt))
            {
                latest[heartbeat.Node] = heartbeat;
            }
        }

        return new Roster(latest.Values.Where(heartbeat => !heartbeat.Leaving).ToDictionary(heartbeat => heartbeat.Node, StringComparer.Ordinal));
    }
}
