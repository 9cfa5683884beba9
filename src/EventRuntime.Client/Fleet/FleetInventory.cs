namespace EventRuntime.Client;

/// <summary>What the fleet answered to a <see cref="FleetQuery"/>: the matching containers, and who could not say.</summary>
public sealed record FleetInventory
{
    /// <summary>The matching containers of every node that answered, by node then id.</summary>
    public required IReadOnlyList<FleetContainer> Containers { get; init; }

    /// <summary>The nodes that answered, with or without matching containers.</summary>
    public required IReadOnlyList<string> Answered { get; init; }

    /// <summary>Nodes asked by name, or (with none named) on the roster, that did not answer within the wait; what they hold is unknown.</summary>
    public required IReadOnlyList<string> Silent { get; init; }

    /// <summary>When the roster last heard each <see cref="Silent"/> node (its last heartbeat); a node it never heard is absent.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastHeard { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>Nodes that answered that they could not list their containers, with why.</summary>
    public required IReadOnlyDictionary<string, string> Errors { get; init; }

    /// <summary>Every node asked answered with its list: nothing is missing from <see cref="Containers"/>.</summary>
    public bool IsComplete => Silent.Count == 0 && Errors.Count == 0;
}
