using System.Text.Json;
using EventRuntime.Node.Stopping;
using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// The node's durable saga state: one SQLite file, <c>&lt;state&gt;/sagas.db</c>, in WAL mode. The agent
/// holds it with an exclusive lock for its whole life (a second agent on the same state directory is
/// refused at start), through one connection that <see cref="writer"/> gives to one user at a time: a read,
/// or a write transaction that concurrent writes share (<see cref="GroupCommit"/>). Two messages for one
/// instance never interleave: they meet at the instance's lock first (<see cref="SagaInstanceLocks"/>). The schema version is <c>PRAGMA user_version</c>; a newer one is refused.
/// Each database has an identity, kept inside it and beside it in the state directory
/// (<see cref="SagaDatabaseIdentity"/>), so that a database lost or replaced is noticed, not silently started anew.
/// </summary>
public sealed class SagaDatabase : IAsyncDisposable
{
    /// <summary>2: one write per command, states Stopped and Failed (1 had Execution.Pending and Completed).</summary>
    public const int SchemaVersion = 2;
    private const string FileName = "sagas.db";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim writer = new(1, 1);
    private SqliteConnection? connection;
    private GroupCommit? commits;
    private OpenFiles? openFiles;
    private string? writtenBackTo;
    private DateTimeOffset writtenBackAt;

    public SagaDatabase(string stateDirectory) => Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(stateDirectory), FileName);

    public string Path { get; }

    public bool IsOpen => connection is not null;

    /// <summary>Stops in flight that an agent of schema 1 had recorded, dropped when this one migrated its file.</summary>
    public int DroppedInFlight { get; private set; }

    /// <summary>Opens the file, takes the lock, creates or checks the schema. Throws <see cref="SagaDatabaseException"/>.</summary>
    public void Open(TimeSpan lockWait)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var existed = File.Exists(Path);
        var opened = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Max(1, lockWait.TotalSeconds),
        }.ToString());
        try
        {
            opened.Open();
            Execute(opened, $"PRAGMA busy_timeout = {(int)lockWait.TotalMilliseconds}");
            Execute(opened, "PRAGMA locking_mode = EXCLUSIVE");
            Execute(opened, "PRAGMA journal_mode = WAL");
            // NORMAL in WAL mode: a commit survives the agent being killed; only a power loss can take the last ones.
            Execute(opened, "PRAGMA synchronous = NORMAL");
            var version = Convert.ToInt32(Scalar(opened, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new SagaDatabaseException(
                    $"saga database {Path} has schema version {version}, newer than this agent's {SchemaVersion}: run the newer agent, or move the file aside to start empty");
            }

            // The first write takes the exclusive lock, and keeps it until the connection closes.
            using (var transaction = opened.BeginTransaction(deferred: false))
            {
                Execute(opened, """
                    CREATE TABLE IF NOT EXISTS stop_sagas (
                        correlation_id TEXT PRIMARY KEY,
                        current_state  TEXT NOT NULL,
                        container_id   TEXT NOT NULL,
                        updated_at     TEXT NOT NULL,
                        instance       TEXT NOT NULL
                    )
                    """, transaction);
                Execute(opened, "CREATE INDEX IF NOT EXISTS stop_sagas_by_state ON stop_sagas (current_state, updated_at)", transaction);
                if (version == 1)
                {
                    DroppedInFlight = MigrateFromVersion1(opened, transaction);
                }

                Execute(opened, $"PRAGMA user_version = {SchemaVersion}", transaction);
                Identity = SagaDatabaseIdentity.ReadOrCreate(opened, transaction);
                transaction.Commit();
            }

            Scalar(opened, "SELECT count(*) FROM stop_sagas");
            SagaDatabaseIdentity.CheckAgainstStateDirectory(Identity, Path, existed);
        }
        catch (SagaDatabaseException) when (!existed)
        {
            // Refused: the empty file made just now must not become the database the next start finds.
            opened.Dispose();
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
            {
                File.Delete(file);
            }

            throw;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            opened.Dispose();
            throw new SagaDatabaseException(
                $"saga database {Path} is locked by another process: another agent is probably running with this state directory; stop it, or give this agent its own Node:StateDirectory", e);
        }
        catch (SqliteException e)
        {
            opened.Dispose();
            throw new SagaDatabaseException(
                $"saga database {Path} is unreadable ({e.Message.TrimEnd('.')}): move it aside and delete {SagaDatabaseIdentity.MarkerOf(Path)} (the agent starts with an empty one and forgets which commands it answered: a repeat of one would be carried out again) or restore it from a backup", e);
        }
        catch
        {
            opened.Dispose();
            throw;
        }

        connection = opened;
        commits = new GroupCommit(opened, writer);
        openFiles = OpenFiles.Of(Path);
    }

    /// <summary>The identity the open database carries (<see cref="SagaDatabaseIdentity"/>).</summary>
    public string Identity { get; private set; } = "";

    /// <summary>
    /// Null while the files the agent holds are still the ones at <see cref="Path"/>; otherwise what happened.
    /// Deleting the database (or its log) does not stop SQLite, which goes on writing into the unlinked file:
    /// only this process still has the answers. So the first check that finds it gone writes a copy back to
    /// <see cref="Path"/> at once, and the agent writes it again when it stops (<see cref="DisposeAsync"/>).
    /// </summary>
    public async Task<string?> LossProblemAsync(CancellationToken cancellationToken)
    {
        var open = connection ?? throw new InvalidOperationException($"saga database {Path} is not open");
        if (openFiles?.Unlinked() is not { } unlinked)
        {
            return null;
        }

        await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (writtenBackTo is null)
            {
                writtenBackTo = WriteBack(open);
                writtenBackAt = DateTimeOffset.UtcNow;
            }
        }
        finally
        {
            writer.Release();
        }

        return writtenBackTo == Path
            ? $"saga database file {unlinked} was deleted while the agent runs; its answers were written back to {Path} at {writtenBackAt:O} from the file the agent still holds, and are again when it stops: restart the agent to go on with that file"
            : $"saga database file {unlinked} was deleted while the agent runs and another file took its place; the agent's answers were written beside it, to {writtenBackTo}: stop the agent and put the right file back";
    }

    /// <summary>Runs <paramref name="work"/>, which only reads, outside any write transaction.</summary>
    public Task<T> ReadAsync<T>(Func<SagaTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        Batches.ReadAsync(work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> inside a write transaction, which concurrent callers' works may share
    /// (<see cref="GroupCommit"/>); completes when that transaction is committed, and throws what the work or
    /// the commit threw, its own changes rolled back. The work may run twice: only its database effects may count.
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<SagaTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        Batches.WriteAsync(work, cancellationToken);

    private GroupCommit Batches => commits ?? throw new InvalidOperationException($"saga database {Path} is not open");

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            try
            {
                if (openFiles?.Unlinked() is not null)
                {
                    WriteBack(connection);
                }
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                connection = null;
                commits = null;
            }
        }

        writer.Dispose();
    }

    // A copy of everything the open connection sees, at the database's own path (over a copy written back
    // before), or beside it when another file took that path. Returns where it went.
    private string WriteBack(SqliteConnection open)
    {
        // The file at the path is this database's own while the agent still holds it (only its log was
        // deleted) or once it is the copy written back before; anything else belongs to someone else.
        var foreign = File.Exists(Path) && writtenBackTo != Path && openFiles?.StillHolds(Path) != true;
        var target = foreign ? $"{Path}.recovered-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}" : Path;
        var temp = $"{Path}.writeback-{Guid.NewGuid():N}";
        try
        {
            using (var command = open.CreateCommand())
            {
                command.CommandText = "VACUUM INTO $target";
                command.Parameters.AddWithValue("$target", temp);
                command.ExecuteNonQuery();
            }

            File.Move(temp, target, overwrite: !foreign);
            return target;
        }
        catch (Exception e) when (e is SqliteException or IOException)
        {
            File.Delete(temp);
            throw new SagaDatabaseException($"saga database {Path} was deleted while the agent ran, and writing it back to {target} failed: {e.Message}", e);
        }
    }

    internal static string Serialize(StopContainerState instance) => JsonSerializer.Serialize(instance, JsonOptions);

    internal static StopContainerState Deserialize(string json) =>
        JsonSerializer.Deserialize<StopContainerState>(json, JsonOptions) ?? throw new InvalidDataException("empty saga instance");

    // Schema 1 stored a command when it arrived and again with its outcome; its in-flight rows belong to
    // commands it had already acknowledged (their stops went to a queue this agent no longer has).
    private static int MigrateFromVersion1(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, """
            UPDATE stop_sagas SET
                current_state = CASE json_extract(instance, '$.outcomeCode') WHEN '' THEN 'Stopped' ELSE 'Failed' END,
                instance = json_set(instance, '$.currentState',
                    CASE json_extract(instance, '$.outcomeCode') WHEN '' THEN 'Stopped' ELSE 'Failed' END)
            WHERE current_state = 'Completed'
            """, transaction);
        return Execute(connection, "DELETE FROM stop_sagas WHERE current_state NOT IN ('Stopped', 'Failed')", transaction);
    }

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
