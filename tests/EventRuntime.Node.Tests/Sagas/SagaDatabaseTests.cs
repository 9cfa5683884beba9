using EventRuntime.Node.Sagas;
using EventRuntime.Node.Stopping;
using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Tests.Sagas;

public sealed class SagaDatabaseTests : IDisposable
{
    private static readonly TimeSpan LockWait = TimeSpan.FromMilliseconds(500);
    private readonly string stateDirectory = Directory.CreateTempSubdirectory("eventruntime-sagas-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(stateDirectory, recursive: true);
    }

    [Fact]
    public async Task A_saved_instance_survives_reopening_the_file()
    {
        var id = Guid.NewGuid();
        await using (var database = new SagaDatabase(stateDirectory))
        {
            database.Open(LockWait);
            await database.InTransactionAsync(async t =>
            {
                await t.SaveAsync(new StopContainerState { CorrelationId = id, CurrentState = "Stopped", ContainerId = "web", OutcomeCauses = ["a", "b"] }, default);
                return true;
            }, default);
        }

        await using var reopened = new SagaDatabase(stateDirectory);
        reopened.Open(LockWait);
        var loaded = await reopened.InTransactionAsync(t => t.LoadAsync(id, default), default);

        Assert.NotNull(loaded);
        Assert.Equal("web", loaded.ContainerId);
        Assert.Equal(["a", "b"], loaded.OutcomeCauses);
        Assert.Equal("Stopped", loaded.CurrentState);
    }

    [Fact]
    public async Task A_failed_transaction_leaves_nothing_behind()
    {
        var id = Guid.NewGuid();
        await using var database = new SagaDatabase(stateDirectory);
        database.Open(LockWait);

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.InTransactionAsync<bool>(async t =>
        {
            await t.SaveAsync(new StopContainerState { CorrelationId = id, CurrentState = "Stopped" }, default);
            throw new InvalidOperationException("the state machine failed");
        }, default));

        Assert.Null(await database.InTransactionAsync(t => t.LoadAsync(id, default), default));
    }

    [Fact]
    public async Task Purge_forgets_only_old_instances_in_the_given_state()
    {
        await using var database = new SagaDatabase(stateDirectory);
        database.Open(LockWait);
        var (done, running) = (Guid.NewGuid(), Guid.NewGuid());
        await database.InTransactionAsync(async t =>
        {
            await t.SaveAsync(new StopContainerState { CorrelationId = done, CurrentState = "Stopped" }, default);
            await t.SaveAsync(new StopContainerState { CorrelationId = running, CurrentState = "Failed" }, default);
            return true;
        }, default);

        Assert.Equal(0, await database.InTransactionAsync(t => t.PurgeAsync("Stopped", DateTimeOffset.UtcNow.AddHours(-1), default), default));
        Assert.Equal(1, await database.InTransactionAsync(t => t.PurgeAsync("Stopped", DateTimeOffset.UtcNow.AddSeconds(1), default), default));

        Assert.Null(await database.InTransactionAsync(t => t.LoadAsync(done, default), default));
        Assert.NotNull(await database.InTransactionAsync(t => t.LoadAsync(running, default), default));
    }

    [Fact]
    public void A_corrupt_file_is_refused_with_its_path_and_the_fix()
    {
        File.WriteAllText(Path.Combine(stateDirectory, "sagas.db"), "this is not a database, it is a text file that got here somehow...");
        using var database = new SagaDatabaseHandle(stateDirectory);

        var error = Assert.Throws<SagaDatabaseException>(() => database.Value.Open(LockWait));

        Assert.Contains(Path.Combine(stateDirectory, "sagas.db"), error.Message, StringComparison.Ordinal);
        Assert.Contains("is unreadable", error.Message, StringComparison.Ordinal);
        Assert.Contains("move it aside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_held_by_another_agent_is_refused_as_locked()
    {
        await using var first = new SagaDatabase(stateDirectory);
        first.Open(LockWait);
        using var second = new SagaDatabaseHandle(stateDirectory);

        var error = Assert.Throws<SagaDatabaseException>(() => second.Value.Open(LockWait));

        Assert.Contains("is locked by another process", error.Message, StringComparison.Ordinal);
        Assert.Contains("Node:StateDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_from_a_newer_schema_is_refused()
    {
        await using (var database = new SagaDatabase(stateDirectory))
        {
            database.Open(LockWait);
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(stateDirectory, "sagas.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        using var newer = new SagaDatabaseHandle(stateDirectory);
        var error = Assert.Throws<SagaDatabaseException>(() => newer.Value.Open(LockWait));

        Assert.Contains($"schema version 99, newer than this agent's {SagaDatabase.SchemaVersion}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_schema_1_keeps_its_answered_commands_and_drops_its_in_flight_ones()
    {
        var (stopped, failed, inFlight) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(stateDirectory, "sagas.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // The table and rows exactly as an agent of schema 1 wrote them.
            command.CommandText = $$"""
                CREATE TABLE stop_sagas (correlation_id TEXT PRIMARY KEY, current_state TEXT NOT NULL, container_id TEXT NOT NULL, updated_at TEXT NOT NULL, instance TEXT NOT NULL);
                INSERT INTO stop_sagas VALUES
                  ('{{stopped}}', 'Completed', 'web', '2026-11-30T10:00:00.0000000+00:00', '{"correlationId":"{{stopped}}","currentState":"Completed","containerId":"web","outcomeCode":""}'),
                  ('{{failed}}', 'Completed', 'db', '2026-11-30T10:00:00.0000000+00:00', '{"correlationId":"{{failed}}","currentState":"Completed","containerId":"db","outcomeCode":"Paused"}'),
                  ('{{inFlight}}', 'Execution.Pending', 'app', '2026-11-30T10:00:00.0000000+00:00', '{"correlationId":"{{inFlight}}","currentState":"Execution.Pending","containerId":"app"}');
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        await using var database = new SagaDatabase(stateDirectory);
        database.Open(LockWait);

        Assert.Equal(1, database.DroppedInFlight);
        Assert.Equal("Stopped", (await database.InTransactionAsync(t => t.LoadAsync(stopped, default), default))?.CurrentState);
        Assert.Equal("Failed", (await database.InTransactionAsync(t => t.LoadAsync(failed, default), default))?.CurrentState);
        Assert.Null(await database.InTransactionAsync(t => t.LoadAsync(inFlight, default), default));
    }

    // Group commit (GroupCommit): writes that arrive while the connection is busy are committed together, and each
    // caller still gets its own verdict. A read that waits for the test's word holds the connection busy, so the
    // writes queue behind it whatever the machine's speed.

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

    // Disposes synchronously in tests that only need Open to fail.
    private sealed class SagaDatabaseHandle(string directory) : IDisposable
    {
        public SagaDatabase Value { get; } = new(directory);

        public void Dispose() => Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
