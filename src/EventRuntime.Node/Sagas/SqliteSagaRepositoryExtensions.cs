using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventRuntime.Node.Sagas;

public static class SqliteSagaRepositoryExtensions
{
    /// <summary>Stores the stop saga in the node's <see cref="SagaDatabase"/> (registered separately, opened at start).</summary>
    public static ISagaRegistrationConfigurator<StopContainerState> SqliteRepository(this ISagaRegistrationConfigurator<StopContainerState> configurator)
    {
        configurator.Repository(r =>
        {
            r.TryAddSingleton<SagaInstanceLocks>();
            r.TryAddSingleton<IOutcomeStore, SagaOutcomeStore>();
            r.TryAddSingleton<InFlightCommands>();
            r.TryAddSingleton<ISagaConsumeContextFactory<SagaDatabase, StopContainerState>,
                SagaConsumeContextFactory<SagaDatabase, StopContainerState>>();
            r.RegisterSagaRepository<StopContainerState, SagaDatabase, SagaConsumeContextFactory<SagaDatabase, StopContainerState>,
                SqliteSagaRepositoryContextFactory>();
        });
        return configurator;
    }
}
