using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Saga;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// MassTransit's saga repository seam, shaped like its own Dapper and EF Core repositories: each message
/// gets a repository context that loads its instance and lets the state machine run, which writes the
/// instance once, with its outcome. The in-memory outbox on the endpoint releases the messages the machine
/// produced after that write, so nothing leaves before the state it belongs to is saved. While a command's
/// delivery is held here it counts as in flight (<see cref="InFlightCommands"/>), for status requests.
/// </summary>
public sealed class SqliteSagaRepositoryContextFactory(
    SagaDatabase database, SagaInstanceLocks locks, InFlightCommands inFlight, ISagaConsumeContextFactory<SagaDatabase, StopContainerState> factory)
    : ISagaRepositoryContextFactory<StopContainerState>
{
    public void Probe(ProbeContext context) => context.Add("persistence", "sqlite");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<StopContainerState, T>> next)
        where T : class
    {
        var repositoryContext = new SqliteSagaRepositoryContext<T>(database, locks, context, factory);
        var commandId = (context.Message as Contracts.StopContainer)?.CommandId ?? Guid.Empty;
        inFlight.Enter(commandId);
        try
        {
            await next.Send(repositoryContext).ConfigureAwait(false);
        }
        finally
        {
            repositoryContext.Release();
            inFlight.Leave(commandId);
        }
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<StopContainerState> query, IPipe<SagaRepositoryQueryContext<StopContainerState, T>> next)
        where T : class =>
        throw new NotSupportedException("stop sagas are correlated by id only; queries are not supported");
}
