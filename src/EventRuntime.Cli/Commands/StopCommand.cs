using System.CommandLine;
using EventRuntime.Cli.Connection;
using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// <c>ert stop &lt;container&gt;... --node N</c>: stops containers and waits for each one's outcome. With
/// <c>--selector</c> instead of ids, a fleet stop: the targets come from the inventory of the named nodes (or of
/// every node with <c>--all-nodes</c>), sent within <c>--max-concurrency</c>, until more than <c>--max-errors</c> failed.
/// </summary>
internal sealed class StopCommand(GlobalOptions global, TextWriter stdout, TextWriter stderr)
{
    private readonly Argument<string[]> containers = new("container")
    {
        Description = "Ids of the containers to stop (or --selector)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<string[]> node = Options.Nodes("The node the containers run on; with --selector, the nodes to stop on (repeatable, or comma-separated)");

    private readonly Option<string?> selector = Options.Selector("Stop every container whose labels match (app=web,tier!=db) on the --node nodes or --all-nodes, instead of naming ids");

    private readonly Option<bool> allNodes = new("--all-nodes") { Description = "With --selector: on every node whose agent answers the inventory (agents on the roster that do not are reported silent)" };

    private readonly Option<string> maxConcurrency = new("--max-concurrency")
    {
        Description = "With --selector: stops awaiting their outcome at once, a number or a percentage of the targets (10, 10%)",
        DefaultValueFactory = _ => "16",
    };

    private readonly Option<string?> maxErrors = new("--max-errors")
    {
        Description = "With --selector: failures allowed before no further stop is sent (a number or a percentage); the rest are reported skipped",
    };

    private readonly Option<double?> inventoryWait = new("--inventory-wait")
    {
        Description = "With --selector: seconds to wait for the agents' inventory answers (default: 0.5 with --all-nodes; else until the named nodes answered, at most 5)",
    };

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
            containers, node, selector, allNodes, maxConcurrency, maxErrors, inventoryWait, timeout, resumePaused, noWait, waitTimeout, drain, concurrency, keyFile, output,
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
        var ids = parseResult.GetValue(containers) ?? [];
        var nodes = Options.NodesOf(parseResult.GetValue(node));
        var json = parseResult.GetValue(output) == OutputFormat.Json;
        if (parseResult.GetValue(selector) is { } labels)
        {
            var fleet = FleetRequestOf(parseResult, ids, nodes, labels, grace, options);
            await using var fleetClient = global.Client(parseResult, KeyFileSetting.Resolve(parseResult.GetValue(keyFile), Environment.GetEnvironmentVariables()));
            return await new FleetStopRun(stdout, stderr).RunAsync(fleetClient, fleet, json, cancellationToken);
        }

        if (ids.Length == 0 || nodes.Count != 1 || parseResult.GetValue(allNodes))
        {
            throw new UsageException(ids.Length == 0
                ? "name the containers to stop, or select them with --selector"
                : "stopping containers by id needs exactly one --node (--all-nodes and several nodes go with --selector)");
        }

        var requests = ids.Select(container => new StopRequest(nodes[0], container, grace, options)).ToList();

        await using var client = global.Client(parseResult, KeyFileSetting.Resolve(parseResult.GetValue(keyFile), Environment.GetEnvironmentVariables()));
        var timings = PhaseTimings.Wanted ? new PhaseTimings() : null;
        await client.ConnectAsync(cancellationToken);
        var connectedAt = timings is null ? TimeSpan.Zero : timings.Elapsed;
        if (parseResult.GetValue(noWait))
        {
            return await SendOnlyAsync(client, requests, json, cancellationToken);
        }

        IReadOnlyList<StopResult> results;
        await using (var board = new ProgressBoard(requests, stderr, ProgressBoard.CanDrawLive(requests.Count)))
        {
            results = await client.StopManyAsync(requests, new StopBatchOptions
            {
                MaxConcurrency = parseResult.GetValue(concurrency),
                OnProgress = progress =>
                {
                    timings?.OnProgress(progress);
                    board.Update(progress);
                },
            }, cancellationToken);
        }

        timings?.Write(stderr, client.Timings, connectedAt);

        StopReport.Write(stdout, results, json);
        return results.All(result => result.IsStopped) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private FleetStopRequest FleetRequestOf(ParseResult parseResult, string[] ids, IReadOnlyList<string> nodes, string labels, TimeSpan grace, StopCommandOptions options)
    {
        if (ids.Length > 0)
        {
            throw new UsageException("--selector chooses the containers; do not name ids as well");
        }

        if (nodes.Count == 0 == !parseResult.GetValue(allNodes))
        {
            throw new UsageException("--selector needs the nodes to stop on: --node N (repeatable) or --all-nodes");
        }

        if (parseResult.GetValue(noWait))
        {
            throw new UsageException("--no-wait does not go with --selector: a fleet stop counts failures as their outcomes arrive");
        }

        return new FleetStopRequest
        {
            Targets = new FleetQuery
            {
                Nodes = nodes,
                Selector = labels,
                Wait = parseResult.GetValue(inventoryWait) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            },
            Timeout = grace,
            Options = options,
            MaxConcurrency = LimitOf(parseResult.GetRequiredValue(maxConcurrency), "--max-concurrency", minimum: 1),
            MaxErrors = parseResult.GetValue(maxErrors) is { } errors ? LimitOf(errors, "--max-errors", minimum: 0) : null,
        };
    }

    private static FleetLimit LimitOf(string text, string option, int minimum)
    {
        try
        {
            var limit = FleetLimit.Parse(text);
            return limit.Value >= minimum ? limit : throw new UsageException($"{option} must be {minimum} or more");
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option}: {e.Message}");
        }
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
