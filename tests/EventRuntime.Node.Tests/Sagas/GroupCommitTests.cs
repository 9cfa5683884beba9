using EventRuntime.Node.Sagas;
using EventRuntime.Node.Stopping;
using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Tests.Sagas;

/// <summary>
/// Writes that arrive while the connection is busy are committed together (<see cref="GroupCommit"/>), and each
/// caller still gets its own verdict. The connection is held busy by a read that waits for the test's word, so
/// the writes queue behind it whatever the machine's speed.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly TimeSpan LockWait = TimeSpan.FromMilliseconds(500);
    private readonly string stateDirectory = Directory.CreateTempSubdirectory("eventruntime-sagas-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(stateDirectory, recursive: true);
    }

    [Fact]
    public async Task Writes_queued_behind_a_busy_connection_are_all_committed_and_each_completes_after_its_commit()
    {
        await using var database = new SagaDatabase(stateDirectory);
        database.Open(LockWait);
        var (busy, release) = await HoldBusyAsync(database);
        var ids = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();

        var writes = ids.Select(id => Save(database, id)).ToList();
        Assert.All(writes, write => Assert.False(write.IsCompleted));
        release.SetResult();
        await busy;
        await Task.WhenAll(writes);

        await using var reopened = await ReopenAsync(database);
        foreach (var id in ids)
        {
            Assert.NotNull(await reopened.ReadAsync(t => t.LoadAsync(id, default), default));
        }
    }

    [Fact]
    public async Task A_write_that_throws_in_a_shared_batch_fails_alone_and_the_others_are_committed()
    {
        await using var database = new SagaDatabase(stateDirectory);
        database.Open(LockWait);
        var (busy, release) = await HoldBusyAsync(database);
        var (before, failing, after) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var first = Save(database, before);
        var failed = database.InTransactionAsync<bool>(async t =>
        {
            await t.SaveAsync(new StopContainerState { CorrelationId = failing, CurrentState = "Stopped" }, default);
            throw new InvalidOperationException("the state machine failed");
        }, default);
        var last = Save(database, after);
        release.SetResult();
        await busy;

        await Task.WhenAll(first, last);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.NotNull(await database.ReadAsync(t => t.LoadAsync(before, default), default));
        Assert.Null(await database.ReadAsync(t => t.LoadAsync(failing, default), default));
        Assert.NotNull(await database.ReadAsync(t => t.LoadAsync(after, default), default));
    }

    [Fact]
    public async Task A_queued_write_whose_caller_gave_up_is_not_carried_out()
    {
        await using var database = new SagaDatabase(stateDirectory);
        database.Open(LockWait);
        var (busy, release) = await HoldBusyAsync(database);
        var id = Guid.NewGuid();
        using var cancellation = new CancellationTokenSource();

        var write = database.InTransactionAsync(async t =>
        {
            await t.SaveAsync(new StopContainerState { CorrelationId = id, CurrentState = "Stopped" }, default);
            return true;
        }, cancellation.Token);
        await cancellation.CancelAsync();
        release.SetResult();
        await busy;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Null(await database.ReadAsync(t => t.LoadAsync(id, default), default));
    }

    // A read that holds the connection until the test releases it; returns once it holds it.
    private static async Task<(Task<bool> Busy, TaskCompletionSource Release)> HoldBusyAsync(SagaDatabase database)
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = database.ReadAsync(async _ =>
        {
            holding.SetResult();
            await release.Task;
            return true;
        }, default);
        await holding.Task;
        return (busy, release);
    }

    private static Task<bool> Save(SagaDatabase database, Guid id) =>
        database.InTransactionAsync(async t =>
        {
            await t.SaveAsync(new StopContainerState { CorrelationId = id, CurrentState = "Stopped", ContainerId = "web" }, default);
            return true;
        }, default);

    private async Task<SagaDatabase> ReopenAsync(SagaDatabase database)
    {
        await database.DisposeAsync();
        var reopened = new SagaDatabase(stateDirectory);
        reopened.Open(LockWait);
        return reopened;
    }
}
