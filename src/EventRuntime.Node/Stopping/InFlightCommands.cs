using System.Collections.Concurrent;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// The commands this agent holds right now and how far each got: received (waiting for the instance it
/// shares with another delivery of the same id) or stopping. Nothing of it is stored: a command in flight
/// is still unacknowledged, so after a crash the broker holds it again.
/// </summary>
public sealed class InFlightCommands
{
    private readonly ConcurrentDictionary<Guid, Entry> commands = new();

    /// <summary>A delivery of <paramref name="commandId"/> arrived; pair with <see cref="Leave"/>.</summary>
    public void Enter(Guid commandId) =>
        commands.AddOrUpdate(commandId, _ => new Entry(1, false), (_, entry) => entry with { Deliveries = entry.Deliveries + 1 });

    public void MarkStopping(Guid commandId) => commands.AddOrUpdate(commandId, _ => new Entry(1, true), (_, entry) => entry with { Stopping = true });

    public void Leave(Guid commandId)
    {
        while (commands.TryGetValue(commandId, out var entry))
        {
            var done = entry.Deliveries <= 1
                ? commands.TryRemove(new KeyValuePair<Guid, Entry>(commandId, entry))
                : commands.TryUpdate(commandId, entry with { Deliveries = entry.Deliveries - 1 }, entry);
            if (done)
            {
                return;
            }
        }
    }

    /// <summary>"pending", "stopping", or null when no delivery of the command is held.</summary>
    public string? PhaseOf(Guid commandId) =>
        commands.TryGetValue(commandId, out var entry) ? entry.Stopping ? Contracts.CommandStatus.Stopping : Contracts.CommandStatus.Pending : null;

    private sealed record Entry(int Deliveries, bool Stopping);
}
