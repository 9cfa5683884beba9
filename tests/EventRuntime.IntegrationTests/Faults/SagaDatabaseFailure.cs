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

    /// <summary>The command is recorded and its stop runs, but its completion cannot be saved.</summary>
    public static Task FailSavingTheOutcomeOfAsync(RuncSandbox sandbox, string containerId) =>
        AddTriggerAsync(sandbox, $"fail_completing_{Name(containerId)}", "BEFORE UPDATE",
            $"NEW.container_id = '{containerId}' AND NEW.current_state = 'Completed'");

    /// <summary>A command for the container cannot be recorded at all.</summary>
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
