using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace EventRuntime.Node.Sagas;

/// <summary>The saga instance operations MassTransit's saga pipeline calls for one message.</summary>
public sealed class SqliteSagaRepositoryContext<TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<StopContainerState, TMessage>
    where TMessage : class
{
    private readonly SagaTransaction transaction;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<SagaTransaction, StopContainerState> factory;

    public SqliteSagaRepositoryContext(
        SagaTransaction transaction, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<SagaTransaction, StopContainerState> factory)
        : base(consumeContext, transaction)
    {
        this.transaction = transaction;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<StopContainerState, T>> CreateSagaConsumeContext<T>(
        ConsumeContext<T> context, StopContainerState instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(transaction, context, instance, mode);

    public Task<SagaConsumeContext<StopContainerState, TMessage>> Add(StopContainerState instance) =>
        factory.CreateSagaConsumeContext(transaction, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<StopContainerState, TMessage>> Insert(StopContainerState instance)
    {
        await transaction.SaveAsync(instance, CancellationToken).ConfigureAwait(false);
        return await factory.CreateSagaConsumeContext(transaction, consumeContext, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false);
    }

    public async Task<SagaConsumeContext<StopContainerState, TMessage>> Load(Guid correlationId)
    {
        var instance = await transaction.LoadAsync(correlationId, CancellationToken).ConfigureAwait(false);
        return instance is null
            ? default!
            : await factory.CreateSagaConsumeContext(transaction, consumeContext, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    public Task Save(SagaConsumeContext<StopContainerState> context) => transaction.SaveAsync(context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<StopContainerState> context) => transaction.SaveAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<StopContainerState> context) => transaction.DeleteAsync(context.Saga.CorrelationId, CancellationToken);

    // The transaction rolls back when the pipeline throws; nothing to undo or discard by hand.
    public Task Discard(SagaConsumeContext<StopContainerState> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<StopContainerState> context) => Task.CompletedTask;
}

