using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>Which agents a fleet question asks, which containers it is about, and how long the asker listens.</summary>
public sealed record FleetQuery
{
    /// <summary>
    /// How long a question to every node listens for answers at most when <see cref="Wait"/> is not set. With a roster it
    /// ends once the roster answered, so this is a bound, paid in full only when an agent on it is silent (or there is no
    /// roster); half a second called live agents silent on a loaded machine (the fleet bench at a load average of 14 on 2 cores).
    /// </summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back the roster (<see cref="RosterStream"/>) is read when <see cref="RosterWindow"/> is not set: the
    /// stream's own retention, so an agent killed up to ten minutes ago is reported silent.
    /// </summary>
    public static readonly TimeSpan DefaultRosterWindow = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The nodes asked; empty asks every agent there is. Named nodes that do not answer are reported silent; with none
    /// named, so are the agents on the roster that do not.
    /// </summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The containers meant, by their labels (<see cref="LabelSelector"/>, e.g. <c>app=web,tier!=db</c>); empty means all.</summary>
    public string Selector { get; init; } = "";

    /// <summary>
    /// How long to listen for answers. A question to named nodes ends as soon as all of them answered; a question to
    /// every node as soon as every agent on the roster answered (it listens this long when the roster cannot be read or
    /// is empty). Null: <see cref="DefaultWait"/> for every node, five seconds for named ones.
    /// </summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>
    /// Agents whose last heartbeat is older than this are not on the roster: they are neither awaited nor reported
    /// silent. Zero reads no roster. Null: <see cref="DefaultRosterWindow"/>. The stream keeps no more than ten minutes.
    /// </summary>
    public TimeSpan? RosterWindow { get; init; }

    /// <summary>The roster window this query reads: <see cref="RosterWindow"/>, or its default.</summary>
    public TimeSpan EffectiveRosterWindow => RosterWindow ?? DefaultRosterWindow;

    /// <summary>The wait this query listens for: <see cref="Wait"/>, or its default.</summary>
    public TimeSpan EffectiveWait => Wait ?? (Nodes.Count == 0 ? DefaultWait : TimeSpan.FromSeconds(5));
}
