using EventRuntime.Contracts;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Operations;

/// <summary>Says once what this agent is wired to when it has started, and when it begins to stop.</summary>
public sealed class AgentLifecycleLog(
    IOptions<NodeOptions> node,
    IOptions<RabbitMqOptions> broker,
    IOptions<RuntimeOptions> runtime,
    NodePaths paths,
    IHostApplicationLifetime lifetime,
    ILogger<AgentLifecycleLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "Node agent {NodeName} started: queue {Queue} on {BrokerUrl}, runtime {RuntimePath} --root {RuntimeRoot}, state {StateDirectory}",
            node.Value.Name, NodeQueue.For(node.Value.Name), broker.Value.Url, runtime.Value.Path, runtime.Value.Root, paths.StateDirectory));
        lifetime.ApplicationStopping.Register(() => logger.LogInformation(
            "Node agent {NodeName} stopping: no new commands; stops in flight get up to the shutdown timeout", node.Value.Name));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
