using EventRuntime.Node.Sagas;
using EventRuntime.Node.Stopping;
using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Tests.Sagas;

/// <summary>A saga database deleted or replaced under the agent, or missing at its start, on real files.</summary>
public sealed class SagaDatabaseLossTests : IDisposable
{
    private static readonly TimeSpan LockWait = TimeSpan.FromMilliseconds(500);
    private readonly string stateDirectory = Directory.CreateTempSubdirectory("eventruntime-sagas-").FullName;

    private string DatabasePath => Path.Combine(stateDirectory, "sagas.db");

    private string Marker => DatabasePath + ".id";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(stateDirectory, recursive: true);
    }

    [Fact]
    public async Task A_database_missing_where_the_state_directory_had_one_is_refused_and_deleting_the_marker_accepts_an_empty_one()
    {
        await SaveAnswerAsync(Guid.NewGuid());
        File.Delete(DatabasePath);

        var refused = Assert.Throws<SagaDatabaseException>(() => new SagaDatabase(stateDirectory).Open(LockWait));

        Assert.StartsWith($"saga database {DatabasePath} is missing, but this state directory had one (", refused.Message);
        Assert.EndsWith($"restore the file from a backup, or delete {Marker} to start with an empty one", refused.Message);
        Assert.False(File.Exists(DatabasePath)); // the refused start leaves no empty file for the next one to accept
        Assert.Throws<SagaDatabaseException>(() => new SagaDatabase(stateDirectory).Open(LockWait));

        File.Delete(Marker);
        await using var accepted = new SagaDatabase(stateDirectory);
        accepted.Open(LockWait);
        Assert.Equal(accepted.Identity + "\n", await File.ReadAllTextAsync(Marker));
    }

    [Fact]
    public async Task Another_database_put_in_its_place_is_refused()
    {
        await SaveAnswerAsync(Guid.NewGuid());
        var elsewhere = Directory.CreateTempSubdirectory("eventruntime-sagas-other-").FullName;
        try
        {
            await using (var other = new SagaDatabase(elsewhere))
            {
                other.Open(LockWait);
            }

            File.Copy(Path.Combine(elsewhere, "sagas.db"), DatabasePath, overwrite: true);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(elsewhere, recursive: true);
        }

        var refused = Assert.Throws<SagaDatabaseException>(() => new SagaDatabase(stateDirectory).Open(LockWait));

        Assert.StartsWith($"saga database {DatabasePath} is not the one this state directory had", refused.Message);
    }

    [Fact]
    public async Task A_database_deleted_while_open_is_reported_written_back_at_once_and_again_when_closed()
    {
        var before = Guid.NewGuid();
        var after = Guid.NewGuid();
        var database = new SagaDatabase(stateDirectory);
        await using (database)
        {
            database.Open(LockWait);
            await SaveAsync(database, before);
            Assert.Null(await database.LossProblemAsync(default));

            File.Delete(DatabasePath);
            File.Delete(DatabasePath + "-wal");
            var problem = await database.LossProblemAsync(default);

            Assert.NotNull(problem);
            Assert.StartsWith($"saga database file {DatabasePath}", problem);
            Assert.Contains($"was deleted while the agent runs; its answers were written back to {DatabasePath}", problem);
            Assert.True(File.Exists(DatabasePath));
            await SaveAsync(database, after);
        }

        await using var reopened = new SagaDatabase(stateDirectory);
        reopened.Open(LockWait);
        Assert.NotNull(await reopened.ReadAsync(t => t.LoadAsync(before, default), default));
        Assert.NotNull(await reopened.ReadAsync(t => t.LoadAsync(after, default), default));
        Assert.Null(await reopened.LossProblemAsync(default));
    }

    [Fact]
    public async Task A_deleted_log_alone_is_reported_and_its_answers_are_kept()
    {
        var id = Guid.NewGuid();
        var database = new SagaDatabase(stateDirectory);
        await using (database)
        {
            database.Open(LockWait);
            await SaveAsync(database, id);

            File.Delete(DatabasePath + "-wal");

            Assert.Contains($"saga database file {DatabasePath}-wal was deleted", await database.LossProblemAsync(default));
        }

        await using var reopened = new SagaDatabase(stateDirectory);
        reopened.Open(LockWait);
        Assert.NotNull(await reopened.ReadAsync(t => t.LoadAsync(id, default), default));
    }

    private async Task SaveAnswerAsync(Guid id)
    {
        await using var database = new SagaDatabase(stateDirectory);
        database.Open(LockWait);
        await SaveAsync(database, id);
    }

    private static Task SaveAsync(SagaDatabase database, Guid id) =>
        database.InTransactionAsync(async t =>
        {
            await t.SaveAsync(new StopContainerState { CorrelationId = id, CurrentState = "Stopped", ContainerId = "web" }, default);
            return true;
        }, default);
}
