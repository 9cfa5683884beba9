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

    /// <summary>
    /// The executable's main: parses <paramref name="args"/>, prints the usage, runs list and logs here without a host
    /// (reading the settings of the host in <paramref name="hostDirectory"/>), and every other verb through
    /// <paramref name="hosted"/>. The managed executable passes its own directory and builds the host
    /// (HostedVerbs); the native front (the project Node.Native beside this one in src/) passes its managed host's and executes it.
    /// </summary>
    public static async Task<int> MainAsync(string[] args, string hostDirectory, Func<NodeCommandLine, CancellationToken, Task<int>> hosted)
    {
        NodeCommandLine commandLine;
        try
        {
            commandLine = NodeCommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"eventruntime-node: {e.Message}");
            return 2;
        }

        if (commandLine.Verb == "help")
        {
            // Before any host is built: asking for the usage must not touch a state directory or a broker.
            return PrintUsage();
        }

        return await RunAsync(commandLine, hostDirectory, cancel => hosted(commandLine, cancel));
    }

    private static async Task<int> RunAsync(NodeCommandLine commandLine, string hostDirectory, Func<CancellationToken, Task<int>> hosted)
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
                "list" => await ListCommand.RunAsync(commandLine, LocalNode.Of(commandLine, hostDirectory), cancel.Token),
                "logs" => await LogsCommand.RunAsync(commandLine, LocalNode.Of(commandLine, hostDirectory), cancel.Token),
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
