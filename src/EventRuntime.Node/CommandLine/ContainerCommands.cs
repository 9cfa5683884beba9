using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Creating;
using EventRuntime.Node.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace EventRuntime.Node.CommandLine;

/// <summary>The node-local verbs that need the node's host: create and delete containers (list: <see cref="ListCommand"/>).</summary>
internal static class ContainerCommands
{
    private const string CreateUsage =
        "usage: eventruntime-node create <id> --rootfs <dir> [--stop-signal SIGTERM] [--runtime runc|runsc] [--label key=value]... -- <command> [args...]";

    public static async Task<int> CreateAsync(NodeCommandLine commandLine, IServiceProvider services, CancellationToken cancellationToken)
    {
        var positionals = commandLine.Positionals("--rootfs", "--stop-signal", "--runtime", "--label");
        var rootfs = commandLine.Option("--rootfs");
        var command = commandLine.AfterSeparator();
        if (positionals.Count != 1 || rootfs is null || command.Count == 0)
        {
            throw new UsageException(CreateUsage);
        }

        IReadOnlyDictionary<string, string> labels;
        try
        {
            labels = Labels.Parse(commandLine.Values("--label"));
        }
        catch (FormatException e)
        {
            throw new UsageException($"--label: {e.Message}");
        }

        var request = new CreateContainerRequest(
            positionals[0], rootfs, command, commandLine.Option("--stop-signal") ?? Signals.Term, commandLine.Option("--runtime") ?? RuntimeCatalog.Runc, labels);
        var record = await services.GetRequiredService<ContainerCreator>().CreateAndStartAsync(request, cancellationToken);
        Console.WriteLine($"created {record.Id} (running on {record.Runtime}, instance {record.InstanceId}, rootfs {record.RootfsMount})");
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
}
