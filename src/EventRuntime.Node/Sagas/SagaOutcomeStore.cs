using EventRuntime.Node.Stopping;
using Microsoft.Data.Sqlite;

namespace EventRuntime.Node.Sagas;

/// <summary>Answered commands in the node's <see cref="SagaDatabase"/>: one short write transaction each.</summary>
public sealed class SagaOutcomeStore(SagaDatabase database) : IOutcomeStore
{
    public async Task<string?> TryWriteAsync(StopContainerState instance, CancellationToken cancellationToken)
    {
        try
        {
            await database.InTransactionAsync(async t =>
            {
                await t.SaveAsync(instance, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SqliteException e)
        {
            return $"saga database {database.Path} refused it: {e.Message.TrimEnd('.')}";
        }
    }
}
