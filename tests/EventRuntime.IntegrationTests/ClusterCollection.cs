using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests;

/// <summary>
/// One three-node RabbitMQ cluster for the tests that lose a broker node: forming it takes about 20 s, so it is
/// formed once, and only when a test of this collection runs. Each test leaves all three nodes running.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<RabbitMqCluster>
{
    public const string Name = "cluster";
}
