using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Saga;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// MassTransit's saga repository seam, shaped like its own Dapper and EF Core repositories: each message
/// gets a repository context that loads its instance, lets the state machine run, and saves the instance in
/// one write when the machine is done. The in-memory outbox on the endpoint releases the messages the
/// machine produced after that write, so nothing leaves before the state it belongs to is saved.
/// </summary>
public sealed class SqliteSagaRepositoryContextFactory(
    SagaDatabase database, SagaInstanceLocks locks, ISagaConsumeContextFactory<SagaDatabase, StopContainerState> factory)
    : ISagaRepositoryContextFactory<StopContainerState>
{
    public void Probe(ProbeContext context) => context.Add("persistence", "sqlite");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<StopContainerState, T>> next)
        where T : class
    {
        var repositoryContext = new SqliteSagaRepositoryContext<T>(database, locks, context, factory);
        try
        {
            await next.Send(repositoryContext).ConfigureAwait(false);
        }
        finally
        {
            repositoryContext.Release();
        }
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<StopContainerState> query, IPipe<SagaRepositoryQueryContext<StopContainerState, T>> next)
        where T : class =>
        throw new NotSupportedException("stop sagas are correlated by id only; queries are not supported");
}
