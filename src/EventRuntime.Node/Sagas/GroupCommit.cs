using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// Group commit for the saga database's one connection: the reads and write transactions asked for while a
/// batch is running are carried out together in the next batch (its reads first, each on its own, then its
/// writes in one transaction), and each caller's task completes only once the commit
/// that carries its work has returned (so an outcome is never published before its instance is committed).
/// A storm's outcome writes and "published" marks then share transactions instead of taking one each (a
/// transaction's cost is its pages in the log, and the log's checkpoint with its fsyncs every 1,000 pages);
/// a lone write is committed at once, on its caller's thread, without waiting for company.
/// When a shared transaction fails (a full disk, a work that throws), it is rolled back whole and each of
/// its works runs again in a transaction of its own, so that every caller gets its own verdict, as if it
/// had been alone: a work may therefore run twice, and only its effects on the database may count.
/// </summary>
internal sealed class GroupCommit(SqliteConnection connection, SemaphoreSlim gate)
{
    private readonly object sync = new();
    private List<IPendingWork> queued = [];
    private bool committing;

    /// <summary>Runs <paramref name="work"/>, which only reads, outside any write transaction.</summary>
    public Task<T> ReadAsync<T>(Func<SagaTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        Enqueue(new PendingWork<T>(work, false, cancellationToken));

    /// <summary>Runs <paramref name="work"/> in a write transaction, possibly shared; completes once that is committed.</summary>
    public Task<T> WriteAsync<T>(Func<SagaTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        Enqueue(new PendingWork<T>(work, true, cancellationToken));

    private Task<T> Enqueue<T>(PendingWork<T> write)
    {
        bool lead;
        lock (sync)
        {
            queued.Add(write);
            lead = !committing;
            committing = true;
        }

        if (lead)
        {
            _ = CommitQueuedAsync();
        }

        return write.Task;
    }

    // Runs on the first caller's thread until its batch is committed, then on the thread pool while more arrive.
    private async Task CommitQueuedAsync()
    {
        while (true)
        {
            List<IPendingWork> batch;
            lock (sync)
            {
                if (queued.Count == 0)
                {
                    committing = false;
                    return;
                }

                (batch, queued) = (queued, []);
            }

            try
            {
                await gate.WaitAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException e)
            {
                // The database was closed (the agent stops): nobody may be left waiting for an answer.
                batch.ForEach(work => work.Fail(e));
                continue;
            }

            try
            {
                batch.RemoveAll(work => work.CancelIfRequested());
                foreach (var read in batch.Where(work => !work.Writes))
                {
                    await RunReadAsync(read).ConfigureAwait(false);
                }

                batch.RemoveAll(work => !work.Writes);
                if (batch.Count == 1)
                {
                    await RunAloneAsync(batch[0]).ConfigureAwait(false);
                }
                else if (batch.Count > 1 && !await TryTogetherAsync(batch).ConfigureAwait(false))
                {
                    foreach (var write in batch)
                    {
                        await RunAloneAsync(write).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                ReleaseGate();
            }

            // The first caller's own commit is done: it goes on while the next batch is committed elsewhere.
            await Task.Yield();
        }
    }

    // Closing the database disposes the gate, perhaps under a batch: the works queued behind it still get their answer.
    private void ReleaseGate()
    {
        try
        {
            gate.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<bool> TryTogetherAsync(List<IPendingWork> batch)
    {
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var scope = new SagaTransaction(connection, transaction);
            foreach (var write in batch)
            {
                await write.RunAsync(scope).ConfigureAwait(false);
            }

            transaction.Commit();
        }
        catch (Exception)
        {
            // Rolled back whole (the using): every work gets its own verdict below.
            return false;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }

        return true;
    }

    private async Task RunReadAsync(IPendingWork read)
    {
        try
        {
            await read.RunAsync(new SagaTransaction(connection, null)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            read.Fail(e);
            return;
        }

        read.Complete();
    }

    private async Task RunAloneAsync(IPendingWork write)
    {
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            await write.RunAsync(new SagaTransaction(connection, transaction)).ConfigureAwait(false);
            transaction.Commit();
        }
        catch (Exception e)
        {
            write.Fail(e);
            return;
        }

        write.Complete();
    }

    private interface IPendingWork
    {
        bool Writes { get; }

        bool CancelIfRequested();

        Task RunAsync(SagaTransaction transaction);

        void Complete();

        void Fail(Exception error);
    }

    private sealed class PendingWork<T>(Func<SagaTransaction, Task<T>> work, bool writes, CancellationToken cancellationToken) : IPendingWork
    {
        public bool Writes => writes;

        private readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T result = default!;

        public Task<T> Task => done.Task;

        public bool CancelIfRequested() => cancellationToken.IsCancellationRequested && done.TrySetCanceled(cancellationToken);

        public async Task RunAsync(SagaTransaction transaction) => result = await work(transaction).ConfigureAwait(false);

        public void Complete() => done.TrySetResult(result);

        public void Fail(Exception error) => done.TrySetException(error);
    }
}
