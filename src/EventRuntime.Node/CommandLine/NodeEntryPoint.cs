using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Storage;
using EventRuntime.Node.Sagas;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.CommandLine;

/// <summary>Runs one verb and turns every expected failure into one line on stderr and an exit code.</summary>
internal static class NodeEntryPoint
{
    public const string Usage = """
        usage: eventruntime-node [agent] [--node NAME] [--state-dir DIR] [--runtime PATH] [--runtime-root DIR]
               eventruntime-node create <id> --rootfs <dir> [--stop-signal SIGTERM] [--runtime runc|runsc] [--label key=value]... -- <command> [args...]
               eventruntime-node delete <id>...
               eventruntime-node list [-o table|json]
               eventruntime-node logs <id> [--follow]
               eventruntime-node help | --help
        settings: --Section:Key=value, e.g. --RabbitMq:Url=amqp://node-a:pw@broker:5672/eventruntime (docs/configuration.md)
        """;

    /// <summary>Runs list and logs here, without a host; every other verb through <paramref name="hosted"/>, which builds the node's host.</summary>
    public static async Task<int> RunAsync(NodeCommandLine commandLine, Func<CancellationToken, Task<int>> hosted)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            // The read-only verbs read the state directory without a host: building one was most of their time.
            return commandLine.Verb switch
            {
                "list" => await ContainerCommands.ListAsync(commandLine, LocalNode.Of(commandLine), cancel.Token),
                "logs" => await LogsCommand.RunAsync(commandLine, LocalNode.Of(commandLine), cancel.Token),
                _ => await hosted(cancel.Token),
            };
        }
        catch (Exception e) when (ValidationFailures(e) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                Console.Error.WriteLine($"eventruntime-node: configuration: {failure}");
            }

            return 1;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"eventruntime-node: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or RuntimeException
                                      or StorageException or ContainerStoreException or ContainerNotFoundException
                                      or SagaDatabaseException)
        {
            Console.Error.WriteLine($"eventruntime-node {commandLine.Verb}: {e.Message}");
            return 1;
        }
    }

    private static List<string> ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException validation => validation.Failures.ToList(),
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(ValidationFailures).ToList(),
        _ => [],
    };

    public static int PrintUsage()
    {
        Console.WriteLine(Usage);
        return 0;
    }
}
