using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>Which agents a fleet question asks, which containers it is about, and how long the asker listens.</summary>
public sealed record FleetQuery
{
    /// <summary>How long a question to every node listens for answers when <see cref="Wait"/> is not set.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMilliseconds(500);

    /// <summary>The nodes asked; empty asks every agent there is. Named nodes that do not answer are reported silent.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>The containers meant, by their labels (<see cref="LabelSelector"/>, e.g. <c>app=web,tier!=db</c>); empty means all.</summary>
    public string Selector { get; init; } = "";

    /// <summary>
    /// How long to listen for answers. A question to named nodes ends as soon as all of them answered; a question
    /// to every node cannot know how many will answer and listens this long. Null: <see cref="DefaultWait"/> for
    /// every node, five seconds for named ones.
    /// </summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>The wait this query listens for: <see cref="Wait"/>, or its default.</summary>
    public TimeSpan EffectiveWait => Wait ?? (Nodes.Count == 0 ? DefaultWait : TimeSpan.FromSeconds(5));
}
