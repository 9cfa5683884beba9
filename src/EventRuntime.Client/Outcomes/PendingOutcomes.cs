using System.Collections.Concurrent;

namespace EventRuntime.Client;

/// <summary>The commands this client waits for, by command id; an outcome for any other command is not ours.</summary>
internal sealed class PendingOutcomes
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<OutcomeEvent>> waiting = new();

    public int Count => waiting.Count;

    /// <summary>Registers a wait before the command is sent, so that an outcome faster than the send's return is not missed.</summary>
    public Task<OutcomeEvent> Expect(Guid commandId)
    {
        var slot = new TaskCompletionSource<OutcomeEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        return waiting.TryAdd(commandId, slot)
            ? slot.Task
            : throw new InvalidOperationException($"command {commandId} is already awaited by this client");
    }

    public void Complete(OutcomeEvent outcome)
    {
        if (waiting.TryRemove(outcome.CommandId, out var slot))
        {
            slot.TrySetResult(outcome);
        }
    }

    public void Forget(Guid commandId) => waiting.TryRemove(commandId, out _);

    public void FailAll(Exception reason)
    {
        foreach (var commandId in waiting.Keys)
        {
            if (waiting.TryRemove(commandId, out var slot))
            {
                slot.TrySetException(reason);
            }
        }
    }
}
