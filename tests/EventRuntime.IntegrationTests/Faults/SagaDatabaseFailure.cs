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

    /// <summary>Nothing about a command for the container can be recorded at all.</summary>
    public static Task FailRecordingTheCommandForAsync(RuncSandbox sandbox, string containerId) =>
        AddTriggerAsync(sandbox, $"fail_recording_{Name(containerId)}", "BEFORE INSERT", $"NEW.container_id = '{containerId}'");

    private static async Task AddTriggerAsync(RuncSandbox sandbox, string name, string when, string condition)
    {
        var database = new SagaDatabase(sandbox.Paths.StateDirectory);
        await using (database)
        {
            database.Open(TimeSpan.FromSeconds(5));
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TRIGGER {name} {when} ON stop_sagas WHEN {condition}
            BEGIN SELECT RAISE(ABORT, '{Reason.Replace("'", "''", StringComparison.Ordinal)}'); END
            """;
        await command.ExecuteNonQueryAsync();
    }

    private static string Name(string containerId) => containerId.Replace('-', '_').Replace('.', '_');
}
