using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace EventRuntime.Node.Sagas;

/// <summary>
/// The saga instance operations MassTransit's saga pipeline calls for one message. Each is its own short
/// transaction: none is open while the state machine runs, so a stop's grace period holds no database
/// lock. The instance's own lock (<see cref="SagaInstanceLocks"/>) is taken at the first load and held
/// until the pipeline is done with the message.
/// </summary>
public sealed class SqliteSagaRepositoryContext<TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<StopContainerState, TMessage>
    where TMessage : class
{
    private readonly SagaDatabase database;
    private readonly SagaInstanceLocks locks;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<SagaDatabase, StopContainerState> factory;
    private IDisposable? held;

    public SqliteSagaRepositoryContext(
        SagaDatabase database, SagaInstanceLocks locks, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<SagaDatabase, StopContainerState> factory)
        : base(consumeContext)
    {
        this.database = database;
        this.locks = locks;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<StopContainerState, T>> CreateSagaConsumeContext<T>(
        ConsumeContext<T> context, StopContainerState instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(database, context, instance, mode);

    public async Task<SagaConsumeContext<StopContainerState, TMessage>> Add(StopContainerState instance)
    {
        await HoldAsync(instance.CorrelationId).ConfigureAwait(false);
        return await factory.CreateSagaConsumeContext(database, consumeContext, instance, SagaConsumeContextMode.Add).ConfigureAwait(false);
    }

    public async Task<SagaConsumeContext<StopContainerState, TMessage>> Insert(StopContainerState instance)
    {
        await HoldAsync(instance.CorrelationId).ConfigureAwait(false);
        return await factory.CreateSagaConsumeContext(database, consumeContext, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false);
    }

    public async Task<SagaConsumeContext<StopContainerState, TMessage>> Load(Guid correlationId)
    {
        await HoldAsync(correlationId).ConfigureAwait(false);
        var instance = await database.ReadAsync(t => t.LoadAsync(correlationId, CancellationToken), CancellationToken).ConfigureAwait(false);
        return instance is null
            ? default!
            : await factory.CreateSagaConsumeContext(database, consumeContext, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    // The machine writes an instance itself, once, when it has its outcome (RecordOutcome), so that it can
    // still answer a command whose write the disk refused; afterwards there is nothing left to save.
    public Task Save(SagaConsumeContext<StopContainerState> context) => Task.CompletedTask;

    public Task Update(SagaConsumeContext<StopContainerState> context) => Task.CompletedTask;

    public Task Delete(SagaConsumeContext<StopContainerState> context) =>
        database.InTransactionAsync(async t =>
        {
            await t.DeleteAsync(context.Saga.CorrelationId, CancellationToken).ConfigureAwait(false);
            return true;
        }, CancellationToken);

    // Nothing was written before the machine ran, so there is nothing to undo or discard.
    public Task Discard(SagaConsumeContext<StopContainerState> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<StopContainerState> context) => Task.CompletedTask;

    /// <summary>Lets the next delivery of this instance in.</summary>
    public void Release() => held?.Dispose();

    private async Task HoldAsync(Guid correlationId) => held ??= await locks.AcquireAsync(correlationId, CancellationToken).ConfigureAwait(false);

}
