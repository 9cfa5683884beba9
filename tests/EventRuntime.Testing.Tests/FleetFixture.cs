using EventRuntime.Testing;

namespace EventRuntime.Testing.Tests;

/// <summary>What a user's suite writes once: a broker and two simulated nodes for every test of the collection.</summary>
public sealed class FleetFixture : IAsyncLifetime
{
    public TestFleet Fleet { get; private set; } = null!;

    public async Task InitializeAsync() => Fleet = await TestFleet.StartAsync("kit-alpha", "kit-beta");

    public async Task DisposeAsync() => await Fleet.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetFixture>
{
    public const string Name = "fleet";
}
