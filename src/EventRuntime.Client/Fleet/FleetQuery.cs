using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>Which agents a fleet question asks, which containers it is about, and how long the asker listens.</summary>
public sealed record FleetQuery
{
    /// <summary>The most a question to every node listens for answers when <see cref="Wait"/> is not set (it ends sooner, after <see cref="QuietPeriod"/>).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(2);

    /// <summary>The nodes asked; empty asks every agent there is. Named nodes that do not answer are reported silent.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The containers meant, by their labels (<see cref="LabelSelector"/>, e.g. <c>app=web,tier!=db</c>); empty means all.</summary>
    public string Selector { get; init; } = "";

    /// <summary>
    /// How long to listen for answers. A question to named nodes ends as soon as all of them answered; a question
    /// to every node cannot know how many will answer: it listens until <see cref="QuietPeriod"/> passed without one, at
    /// most this long. Null: <see cref="DefaultWait"/> for
    /// every node, five seconds for named ones.
    /// </summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>
    /// Asking every node: the answers are taken as complete once none came for this long after the last one (agents
    /// answer at once, so their answers arrive together), or at the end of <see cref="Wait"/>. Null: listen the whole wait.
    /// Unused when nodes are named: those are awaited by name.
    /// </summary>
    public TimeSpan? QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The wait this query listens for: <see cref="Wait"/>, or its default.</summary>
    public TimeSpan EffectiveWait => Wait ?? (Nodes.Count == 0 ? DefaultWait : TimeSpan.FromSeconds(5));
}
