namespace EventRuntime.Node.Sagas;

/// <summary>
/// One lock per saga instance, in memory: two deliveries of one command id never run the machine for it at
/// the same time, while different commands never wait for each other. It stands in for a database lock,
/// which would be held for a stop's whole grace period; one agent holds a node's state directory (the
/// database refuses a second), so the process is the only place two such deliveries can meet.
/// </summary>
public sealed class SagaInstanceLocks
{
    private readonly Dictionary<Guid, Entry> entries = [];

    public async Task<IDisposable> AcquireAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(correlationId, out entry!))
            {
                entries[correlationId] = entry = new Entry();
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(correlationId, entry, held: false);
            throw;
        }

        return new Held(this, correlationId, entry);
    }

    private void Leave(Guid correlationId, Entry entry, bool held)
    {
        lock (entries)
        {
            if (held)
            {
                entry.Gate.Release();
            }

            if (--entry.Users == 0)
            {
                entries.Remove(correlationId);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    // Disposed once, by the repository context that took it.
    private sealed class Held(SagaInstanceLocks owner, Guid correlationId, Entry entry) : IDisposable
    {
        public void Dispose() => owner.Leave(correlationId, entry, held: true);
    }
}
