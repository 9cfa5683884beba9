using EventRuntime.Node.Containers;
using EventRuntime.Node.Creating;
using EventRuntime.Node.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.Node.CommandLine;

/// <summary>The node-local verbs: create, delete and list containers on this host.</summary>
internal static class ContainerCommands
{
    public static async Task<int> CreateAsync(NodeCommandLine commandLine, IServiceProvider services, CancellationToken cancellationToken)
    {
        var positionals = commandLine.Positionals("--rootfs", "--stop-signal");
        var rootfs = commandLine.Option("--rootfs");
        var command = commandLine.AfterSeparator();
        if (positionals.Count != 1 || rootfs is null || command.Count == 0)
        {
            throw new UsageException("usage: eventruntime-node create <id> --rootfs <dir> [--stop-signal SIGTERM] -- <command> [args...]");
        }

        var request = new CreateContainerRequest(positionals[0], rootfs, command, commandLine.Option("--stop-signal") ?? Signals.Term);
        var record = await services.GetRequiredService<ContainerCreator>().CreateAndStartAsync(request, cancellationToken);
        Console.WriteLine($"created {record.Id} (running, instance {record.InstanceId}, rootfs {record.RootfsMount})");
        return 0;
    }

    public static async Task<int> DeleteAsync(NodeCommandLine commandLine, IServiceProvider services, CancellationToken cancellationToken)
    {
        var ids = commandLine.Positionals();
        if (ids.Count == 0)
        {
            throw new UsageException("usage: eventruntime-node delete <id>...");
        }

        var creator = services.GetRequiredService<ContainerCreator>();
        foreach (var id in ids)
        {
            await creator.DeleteAsync(id, cancellationToken);
            Console.WriteLine($"deleted {id}");
        }

        return 0;
    }

    public static async Task<int> ListAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<ContainerStore>();
        var runtime = services.GetRequiredService<IOciRuntime>();
        Console.WriteLine($"{"ID",-24} {"INSTANCE",-36} {"RECORDED",-9} {"RUNTIME",-9} {"MOUNTED",-7} STOP SIGNAL");
        foreach (var record in store.LoadAll())
        {
            string live;
            try
            {
                live = (await runtime.StateAsync(record.Id, cancellationToken)).Status.ToString().ToLowerInvariant();
            }
            catch (RuntimeException e) when (e.Kind == RuntimeErrorKind.NotFound)
            {
                live = "gone";
            }

            var mounted = Storage.MountInfo.IsMounted(record.RootfsMount) ? "yes" : "no";
            Console.WriteLine($"{record.Id,-24} {record.InstanceId ?? "-",-36} {record.Status.ToString().ToLowerInvariant(),-9} {live,-9} {mounted,-7} {record.StopSignal}");
        }

        return 0;
    }
}
