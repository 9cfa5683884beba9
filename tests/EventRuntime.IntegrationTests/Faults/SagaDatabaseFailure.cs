using EventRuntime.Node.Sagas;
using EventRuntime.TestSupport;
using Microsoft.Data.Sqlite;

namespace EventRuntime.IntegrationTests.Faults;

/// <summary>
/// Makes a node's saga database refuse some writes for one container, as a failing disk would: the file is
/// created as the agent creates it, plus a trigger that aborts the write with <see cref="Reason"/>.
/// </summary>
internal static class SagaDatabaseFailure
{
    public const string Reason = "the saga database's disk is failing (simulated)";

    /// <summary>The command's stop runs, but its outcome cannot be saved (as a new row or over an old one).</summary>
    public static async Task FailSavingTheOutcomeOfAsync(RuncSandbox sandbox, string containerId)
    {
        foreach (var write in new[] { "INSERT", "UPDATE" })
        {
            await AddTriggerAsync(sandbox, $"fail_{write.ToLowerInvariant()}_outcome_{Name(containerId)}", $"BEFORE {write}",
                $"NEW.container_id = '{containerId}' AND NEW.current_state IN ('Stopped', 'Failed')");
        }
    }

    /// <summary>The instance stored under <paramref name="commandId"/> cannot be read back: a delivery of that command fails for good.</summary>
    public static async Task StoreAnUnreadableInstanceAsync(RuncSandbox sandbox, Guid commandId)
    {
        await using var connection = await OpenAsync(sandbox);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO stop_sagas (correlation_id, current_state, container_id, updated_at, instance)
            VALUES ($id, 'Stopped', 'unreadable', $now, 'not json')
            """;
        command.Parameters.AddWithValue("$id", commandId.ToString());
        // Recent, or the agent's start would forget it as an answer past its retention.
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        await command.ExecuteNonQueryAsync();
    }

    private static async Task AddTriggerAsync(RuncSandbox sandbox, string name, string when, string condition)
    {
        await using var connection = await OpenAsync(sandbox);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TRIGGER {name} {when} ON stop_sagas WHEN {condition}
            BEGIN SELECT RAISE(ABORT, '{Reason.Replace("'", "''", StringComparison.Ordinal)}'); END
            """;
        await command.ExecuteNonQueryAsync();
    }

    // The file as the agent creates it, then opened beside it.
    private static async Task<SqliteConnection> OpenAsync(RuncSandbox sandbox)
    {
        var database = new SagaDatabase(sandbox.Paths.StateDirectory);
        await using (database)
        {
            database.Open(TimeSpan.FromSeconds(5));
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static string Name(string containerId) => containerId.Replace('-', '_').Replace('.', '_');
}
