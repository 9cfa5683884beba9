using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node;

public static class NodeHostingExtensions
{
    /// <summary>Registers the node's container layer: runtime, storage, store and creator.</summary>
    public static IServiceCollection AddNodeContainers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NodeOptions>(configuration.GetSection(NodeOptions.Section));
        services.Configure<RuntimeOptions>(configuration.GetSection(RuntimeOptions.Section));
        services.AddSingleton(sp => new NodePaths(sp.GetRequiredService<IOptions<NodeOptions>>().Value.StateDirectory));
        services.AddSingleton<IOciRuntime>(sp => new RuncRuntime(sp.GetRequiredService<IOptions<RuntimeOptions>>().Value));
        services.AddSingleton<IContainerStorage>(sp => new OverlayStorage(sp.GetRequiredService<NodePaths>().Storage));
        services.AddSingleton(sp => new ContainerStore(sp.GetRequiredService<NodePaths>().StateDirectory));
        services.AddSingleton<ContainerCreator>();
        return services;
    }
}
