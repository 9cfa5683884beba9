using System.CommandLine;
using EventRuntime.Cli.Output;
using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>
/// <c>ert events</c>: prints outcome events as the agents publish them. The broker keeps no history for
/// ert, so this shows only what is published while it listens: for <c>--wait</c> seconds, or until
/// Ctrl-C with <c>--follow</c>.
/// </summary>
internal sealed class EventsCommand(GlobalOptions global, TextWriter stdout, TextWriter stderr)
{
    private readonly Option<string?> node = new("--node", "-n") { Description = "Only outcomes from this node" };
    private readonly Option<string?> container = new("--container", "-c") { Description = "Only outcomes for this container" };
    private readonly Option<string?> outcome = new("--outcome") { Description = "Only stopped, or only failed" };
    private readonly Option<bool> follow = new("--follow", "-f") { Description = "Keep printing until interrupted (Ctrl-C)" };
    private readonly Option<int> wait = Options.Seconds("--wait", "Without --follow: how many seconds to listen", 10);
    private readonly Option<string> output = Options.Output();

    public Command Create()
    {
        outcome.AcceptOnlyFromAmong("stopped", "failed");
        var command = new Command("events", "Print outcome events (ContainerStopped, ContainerStopFailed) as they happen")
        {
            node, container, outcome, follow, wait, output,
        };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(stderr, () => RunAsync(parseResult, cancellationToken), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var filter = new OutcomeFilter(
            parseResult.GetValue(node),
            parseResult.GetValue(container),
            parseResult.GetValue(outcome) switch { "stopped" => OutcomeKind.Stopped, "failed" => OutcomeKind.Failed, _ => null });
        var json = parseResult.GetValue(output) == OutputFormat.Json;
        var following = parseResult.GetValue(follow);

        await using var client = global.Client(parseResult);
        // Subscribed before connecting: nothing published once the queue exists is missed.
        using var subscription = client.Subscribe(filter);
        await client.ConnectAsync(cancellationToken);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!following)
        {
            listening.CancelAfter(TimeSpan.FromSeconds(parseResult.GetValue(wait)));
        }

        stderr.WriteLine(following
            ? "ert: listening for outcome events (Ctrl-C to stop)"
            : $"ert: listening for outcome events for {parseResult.GetValue(wait)} s");
        var line = new EventLine(stdout, json);
        try
        {
            await foreach (var received in subscription.WithCancellation(listening.Token))
            {
                line.Write(received);
            }
        }
        catch (OperationCanceledException) when (listening.IsCancellationRequested)
        {
            // --wait is over, or Ctrl-C ended --follow: both are how this command is meant to end.
        }

        return ExitCodes.Ok;
    }
}
