using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>A broker that loads infra/rabbitmq/definitions.json: least-privilege users on vhost "eventruntime".</summary>
[CollectionDefinition(Name)]
public sealed class SecuredBrokerCollection : ICollectionFixture<SecuredRabbitMqBroker>
{
    public const string Name = "secured-broker";
}
