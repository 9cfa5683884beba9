using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Saga;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// MassTransit's saga repository seam, shaped like its own Dapper and EF Core repositories: each
/// message gets a repository context inside one <see cref="SagaDatabase"/> transaction, committed only
/// after the state machine has run. The in-memory outbox on the endpoint releases the messages the
/// machine produced after that commit, so nothing leaves before the state it belongs to is saved.
/// </summary>
public sealed class SqliteSagaRepositoryContextFactory(
    SagaDatabase database, ISagaConsumeContextFactory<SagaTransaction, StopContainerState> factory)
    : ISagaRepositoryContextFactory<StopContainerState>
{
    public void Probe(ProbeContext context) => context.Add("persistence", "sqlite");

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<StopContainerState, T>> next)
        where T : class =>
        database.InTransactionAsync(async transaction =>
        {
            await next.Send(new SqliteSagaRepositoryContext<T>(transaction, context, factory)).ConfigureAwait(false);
            return true;
        }, context.CancellationToken);

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<StopContainerState> query, IPipe<SagaRepositoryQueryContext<StopContainerState, T>> next)
        where T : class =>
        throw new NotSupportedException("stop sagas are correlated by id only; queries are not supported");
}
