using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// Each saga database gets a random id when it is created, kept in its table <c>database_identity</c> and,
/// beside it, in the marker file <c>sagas.db.id</c>. The marker outlives the database: a state directory
/// whose marker names a database that is no longer there (deleted, or replaced by another) had an earlier
/// life whose answers are gone, and the agent refuses to start on it rather than carry repeats out again.
/// Deleting the marker is how an operator accepts the loss.
/// </summary>
internal static class SagaDatabaseIdentity
{
    public static string MarkerOf(string databasePath) => databasePath + ".id";

    public static string ReadOrCreate(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var create = connection.CreateCommand();
        create.Transaction = transaction;
        create.CommandText = "CREATE TABLE IF NOT EXISTS database_identity (id TEXT NOT NULL, created_at TEXT NOT NULL)";
        create.ExecuteNonQuery();

        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT id FROM database_identity LIMIT 1";
        if (read.ExecuteScalar() is string existing)
        {
            return existing;
        }

        var made = Guid.NewGuid().ToString();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO database_identity (id, created_at) VALUES ($id, $at)";
        insert.Parameters.AddWithValue("$id", made);
        insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        insert.ExecuteNonQuery();
        return made;
    }

    /// <summary>
    /// Writes the marker the first time; afterwards throws <see cref="SagaDatabaseException"/> when the
    /// database is not the one the marker names. <paramref name="existed"/>: the file was there before this open.
    /// </summary>
    public static void CheckAgainstStateDirectory(string identity, string databasePath, bool existed)
    {
        var marker = MarkerOf(databasePath);
        if (!File.Exists(marker))
        {
            WriteMarker(marker, identity);
            return;
        }

        var recorded = File.ReadAllText(marker).Trim();
        if (recorded == identity)
        {
            return;
        }

        throw new SagaDatabaseException(existed
            ? $"saga database {databasePath} is not the one this state directory had (it is {identity}, {marker} names {recorded}): put the right file back, or delete {marker} to go on with this one"
            : $"saga database {databasePath} is missing, but this state directory had one ({recorded}, named in {marker}): started empty, the agent would forget which commands it answered and carry a repeat of any of them out again; restore the file from a backup, or delete {marker} to start with an empty one");
    }

    // Atomic, as the container records are: a crash leaves the old marker or the new one, never half of one.
    private static void WriteMarker(string marker, string identity)
    {
        var temp = $"{marker}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(identity + "\n"));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, marker, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new SagaDatabaseException($"saga database marker {marker} could not be written: {e.Message}", e);
        }
    }
}
