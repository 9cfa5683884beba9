using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

/// <summary>eventruntime-node as infra/package/publish-node.sh publishes it (and the package ships it), once per test class.</summary>
public sealed class PublishedNode : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("eventruntime-published-node-").FullName;

    /// <summary>The native front, <c>eventruntime-node</c> as installed.</summary>
    public string Front => Path.Combine(Directory, "eventruntime-node");

    /// <summary>The managed executable the front runs for the agent, create and delete.</summary>
    public string Host => Path.Combine(Directory, "host", "eventruntime-node");

    public async Task InitializeAsync()
    {
        var (published, log) = await ExternalTool.RunAsync("bash", Path.Combine(Repository.Root, "infra", "package", "publish-node.sh"), Directory);
        Assert.True(published == 0, log);
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
