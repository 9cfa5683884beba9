using EventRuntime.Node.CommandLine;
using EventRuntime.Node.Sagas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node;

/// <summary>
/// The verbs that need the node's host: the agent itself, and create and delete (they use the container layer's
/// registrations: runtime, storage, creator). Part of the composition, and apart from NodeEntryPoint, so that the verbs
/// run without a host (list, logs) never load Hosting, Serilog or MassTransit.
/// </summary>
internal static class HostedVerbs
{
    public static async Task<int> RunAsync(NodeCommandLine commandLine, CancellationToken cancellationToken)
    {
        var builder = NodeAgentHost.CreateBuilder(commandLine.Verb == "agent" ? [.. commandLine.Arguments] : [], commandLine.Settings);
        if (commandLine.Verb == "agent")
        {
            builder.Services.AddNodeAgent(builder.Configuration);
            using var agent = builder.Build();
            // Refuse bad settings and an unusable saga database before anything starts, with one line each.
            agent.Services.GetService<IStartupValidator>()?.Validate();
            agent.Services.GetRequiredService<SagaDatabase>().Open(agent.Services.GetRequiredService<IOptions<SagaStoreOptions>>().Value.LockWait);
            await agent.RunAsync(cancellationToken);
            return 0;
        }

        builder.Services.AddNodeContainers(builder.Configuration);
        using var host = builder.Build();
        return commandLine.Verb switch
        {
            "create" => await ContainerCommands.CreateAsync(commandLine, host.Services, cancellationToken),
            "delete" => await ContainerCommands.DeleteAsync(commandLine, host.Services, cancellationToken),
            _ => NodeEntryPoint.PrintUsage(),
        };
    }
}
