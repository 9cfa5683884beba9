using EventRuntime.Node.Stopping;
using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Sagas;

/// <summary>The saga instance operations, inside one open <see cref="SagaDatabase"/> transaction (none for a read).</summary>
public sealed class SagaTransaction(SqliteConnection connection, SqliteTransaction? transaction)
{
    public async Task<StopContainerState?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT instance FROM stop_sagas WHERE correlation_id = $id");
        command.Parameters.AddWithValue("$id", correlationId.ToString());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? SagaDatabase.Deserialize(json) : null;
    }

    /// <summary>Inserts or replaces the instance's row.</summary>
    public async Task SaveAsync(StopContainerState instance, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            INSERT INTO stop_sagas (correlation_id, current_state, container_id, updated_at, instance)
            VALUES ($id, $state, $container, $updated, $instance)
            ON CONFLICT (correlation_id) DO UPDATE SET
                current_state = excluded.current_state, container_id = excluded.container_id,
                updated_at = excluded.updated_at, instance = excluded.instance
            """);
        command.Parameters.AddWithValue("$id", instance.CorrelationId.ToString());
        command.Parameters.AddWithValue("$state", instance.CurrentState);
        command.Parameters.AddWithValue("$container", instance.ContainerId);
        command.Parameters.AddWithValue("$updated", DateTimeOffset.UtcNow.ToString("O"));
        command.Parameters.AddWithValue("$instance", SagaDatabase.Serialize(instance));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that the instance's outcome was published (<see cref="StopContainerState.OutcomePublished"/>).</summary>
    public async Task MarkPublishedAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE stop_sagas SET instance = json_set(instance, '$.outcomePublished', json('true')) WHERE correlation_id = $id");
        command.Parameters.AddWithValue("$id", correlationId.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM stop_sagas WHERE correlation_id = $id");
        command.Parameters.AddWithValue("$id", correlationId.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes instances in <paramref name="state"/> last changed before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(string state, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM stop_sagas WHERE current_state = $state AND updated_at < $before");
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$before", before.ToUniversalTime().ToString("O"));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
