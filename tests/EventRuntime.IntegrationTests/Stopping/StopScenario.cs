using EventRuntime.Node.Runtime;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.IntegrationTests.Stopping;

/// <summary>
/// One node on the real broker: a sandbox whose runtime binary (runc, or runsc for <c>runtime: "runsc"</c>,
/// with which its containers are then created) is a <see cref="RecordingRuntime"/>,
/// an in-process agent for it, and a control plane that sends commands and collects outcomes.
/// </summary>
internal sealed class StopScenario : IAsyncDisposable
{
    private StopScenario(RuncSandbox sandbox, RecordingRuntime runtime, NodeAgent agent, ControlPlane plane)
    {
        Sandbox = sandbox;
        Runtime = runtime;
        Agent = agent;
        Plane = plane;
    }

    public RuncSandbox Sandbox { get; }

    public RecordingRuntime Runtime { get; }

    public NodeAgent Agent { get; }

    public ControlPlane Plane { get; }

    public string Node => Agent.Name;

    public static Task<StopScenario> StartAsync(
        RabbitMqBroker broker, int stateLag = 0, IReadOnlyDictionary<string, string?>? settings = null, ControlPlane? sharedPlane = null,
        int ignoredKills = 0, Action<IServiceCollection>? replaceServices = null, string runtime = RuntimeCatalog.Runc) =>
        StartAsync(broker.AmqpUri, stateLag, settings, sharedPlane, ignoredKills, replaceServices, runtime);

    /// <summary>The same on a broker of the test's own.</summary>
    public static async Task<StopScenario> StartAsync(
        Uri broker, int stateLag = 0, IReadOnlyDictionary<string, string?>? settings = null, ControlPlane? sharedPlane = null,
        int ignoredKills = 0, Action<IServiceCollection>? replaceServices = null, string runtime = RuntimeCatalog.Runc)
    {
        var scratch = Directory.CreateTempSubdirectory("eventruntime-runtime-").FullName;
        var recording = RecordingRuntime.Create(scratch, stateLag, ignoredKills, runtime);
        var node = "node-" + Guid.NewGuid().ToString("N")[..8];
        var sandbox = runtime == RuntimeCatalog.Runsc
            ? new RuncSandbox(nodeName: node, runscPath: recording.Path, createWith: RuntimeCatalog.Runsc)
            : new RuncSandbox(recording.Path, nodeName: node);
        var agent = await NodeAgent.StartAsync(node, sandbox, broker, settings, replaceServices);
        var plane = sharedPlane ?? await ControlPlane.StartAsync(broker);
        return new StopScenario(sandbox, recording, agent, plane);
    }

    public Task<Guid> StopAsync(string containerId, int timeoutSeconds = 10, bool resumePaused = false) =>
        Plane.SendStopAsync(Node, containerId, timeoutSeconds, resumePaused);

    public async ValueTask DisposeAsync()
    {
        await Plane.DisposeAsync();
        await Agent.DisposeAsync();
        await Sandbox.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(Runtime.Path)!, recursive: true);
    }
}
