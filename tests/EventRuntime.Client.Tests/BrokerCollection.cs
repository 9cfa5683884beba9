using EventRuntime.TestSupport;

namespace EventRuntime.Client.Tests;

/// <summary>One broker for the whole suite: starting RabbitMQ takes seconds, tests isolate by node name.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "broker";
}
