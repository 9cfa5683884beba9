using System.CommandLine;
using EventRuntime.Cli.Connection;
using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary><c>ert stop &lt;container&gt;... --node N</c>: stops containers and waits for each one's outcome.</summary>
internal sealed class StopCommand(GlobalOptions global, TextWriter stdout, TextWriter stderr)
{
    private readonly Argument<string[]> containers = new("container")
    {
        Description = "Ids of the containers to stop",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string> node = new("--node", "-n") { Description = "The node the containers run on", Required = true };

    private readonly Option<int> timeout = new("--timeout", "-t")
    {
        Description = "Grace period in seconds between the stop signal and SIGKILL; 0 kills at once",
        DefaultValueFactory = _ => 10,
    };

    private readonly Option<bool> resumePaused = new("--resume-paused") { Description = "Resume a paused container and stop it, instead of failing with Paused" };

    private readonly Option<bool> noWait = new("--no-wait") { Description = "Send the commands and exit without waiting for outcomes" };

    private readonly Option<int?> waitTimeout = new("--wait-timeout")
    {
        Description = "Seconds to wait for each outcome (default: the grace period + 120)",
    };

    private readonly Option<int?> drain = new("--drain")
    {
        Description = "Seconds between the node's ContainerStopping event and the stop signal, inside the grace period (for load balancers)",
    };

    private readonly Option<int> concurrency = new("--concurrency")
    {
        Description = "Stops awaiting their outcome at the same time",
        DefaultValueFactory = _ => 16,
    };

    private readonly Option<string?> keyFile = new("--key-file")
    {
        Description = $"File holding the command key; every command is signed with it (default: ${KeyFileSetting.EnvironmentVariable}). Nodes with a key refuse unsigned commands",
    };

    private readonly Option<string> output = Options.Output();

    public Command Create()
    {
        containers.Validators.Add(Options.RejectOptionLikeValues);
        timeout.Validators.Add(result => Options.RequireAtLeast(result, timeout, 0));
        waitTimeout.Validators.Add(result => Options.RequireAtLeast(result, waitTimeout, 1));
        concurrency.Validators.Add(result => Options.RequireAtLeast(result, concurrency, 1));
        drain.Validators.Add(result => Options.RequireAtLeast(result, drain, 0));
        var command = new Command("stop", "Stop containers on a node and wait for their outcomes")
        {
            containers, node, timeout, resumePaused, noWait, waitTimeout, drain, concurrency, keyFile, output,
        };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(stderr, () => RunAsync(parseResult, cancellationToken), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var wait = parseResult.GetValue(waitTimeout);
        var options = new StopCommandOptions
        {
            ResumePaused = parseResult.GetValue(resumePaused),
            OutcomeWait = wait is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            DrainSeconds = parseResult.GetValue(drain),
        };
        var grace = TimeSpan.FromSeconds(parseResult.GetValue(timeout));
        var requests = parseResult.GetRequiredValue(containers)
            .Select(container => new StopRequest(parseResult.GetRequiredValue(node), container, grace, options))
            .ToList();
        var json = parseResult.GetValue(output) == OutputFormat.Json;

        await using var client = global.Client(parseResult, KeyFileSetting.Resolve(parseResult.GetValue(keyFile), Environment.GetEnvironmentVariables()));
        await client.ConnectAsync(cancellationToken);
        if (parseResult.GetValue(noWait))
        {
            return await SendOnlyAsync(client, requests, json, cancellationToken);
        }

        IReadOnlyList<StopResult> results;
        await using (var board = new ProgressBoard(requests, stderr, ProgressBoard.CanDrawLive(requests.Count)))
        {
            results = await client.StopManyAsync(
                requests, new StopBatchOptions { MaxConcurrency = parseResult.GetValue(concurrency), OnProgress = board.Update }, cancellationToken);
        }

        StopReport.Write(stdout, results, json);
        return results.All(result => result.IsStopped) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private async Task<int> SendOnlyAsync(EventRuntimeClient client, IReadOnlyList<StopRequest> requests, bool json, CancellationToken cancellationToken)
    {
        var sent = new List<(StopRequest Request, Guid CommandId)>();
        foreach (var request in requests)
        {
            sent.Add((request, await client.SendStopAsync(request.Node, request.ContainerId, request.Timeout, request.Options, cancellationToken)));
        }

        StopReport.WriteSent(stdout, sent, json);
        return ExitCodes.Ok;
    }
}
