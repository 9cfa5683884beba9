namespace EventRuntime.Client;

/// <summary>
/// The command ids whose outcome this client has already handed on, so that a second copy of one is dropped.
/// Delivery is at least once: an agent whose broker node died between its publish and the broker's confirm
/// publishes the outcome again, and a publisher whose resend follows a nack may be the second copy of a message that
/// did arrive. The agents never make a second outcome of their own for a command id, so a repeat is always a copy.
/// Bounded: the oldest ids are forgotten first, long after any copy of theirs could still be on its way.
/// </summary>
internal sealed class DeliveredOutcomes(int capacity = DeliveredOutcomes.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    private readonly Lock gate = new();
    private readonly HashSet<Guid> seen = [];
    private readonly Queue<Guid> order = new();

    /// <summary>Copies dropped so far.</summary>
    public long Duplicates { get; private set; }

    /// <summary>True the first time <paramref name="commandId"/> is offered; false for every copy after it.</summary>
    public bool FirstTime(Guid commandId)
    {
        lock (gate)
        {
            if (!seen.Add(commandId))
            {
                Duplicates++;
                return false;
            }

            order.Enqueue(commandId);
            if (order.Count > capacity)
            {
                seen.Remove(order.Dequeue());
            }

            return true;
        }
    }
}
