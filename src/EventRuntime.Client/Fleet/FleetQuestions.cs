using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>The two fleet questions: who is there (<see cref="PingNodes"/>), and which containers match (<see cref="ListContainers"/>).</summary>
internal static class FleetQuestions
{
    public static async Task<FleetPresence> PingAsync(
        IFleetAsking asking, FleetQuery query, Func<TimeSpan, CancellationToken, Task<Roster?>> readRoster, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var wait = query.EffectiveWait;
        var (answers, roster) = await FleetGather.AskAsync<PingNodes, NodePresence>(
            asking, new PingNodes { RequestId = requestId, Nodes = query.Nodes, AnswerBy = DateTimeOffset.UtcNow + wait },
            requestId, answer => (answer.RequestId, answer.Node), Expected(query), token => readRoster(query.EffectiveRosterWindow, token), wait, cancellationToken)
            .ConfigureAwait(false);
        var silent = SilentOf(query, answers.Keys, roster);
        return new FleetPresence
        {
            Live = [.. answers.Values.OrderBy(answer => answer.Node, StringComparer.Ordinal)],
            Silent = silent,
            LastHeard = LastHeardOf(silent, roster),
        };
    }

    /// <summary>Refuses a query that no agent could answer, before anything is connected or sent.</summary>
    public static void Check(FleetQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            _ = LabelSelector.Parse(query.Selector);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"cannot ask the fleet: {e.Message}", nameof(query), e);
        }

        if (query.Wait is { } wait && wait <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(query), wait, "cannot ask the fleet: the wait for answers must be positive");
        }

        if (query.RosterWindow is { } window && window < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(query), window, "cannot ask the fleet: the roster window must be zero (no roster) or positive");
        }

        _ = Expected(query);
    }

    public static async Task<FleetInventory> ListAsync(
        IFleetAsking asking, FleetQuery query, Func<TimeSpan, CancellationToken, Task<Roster?>> readRoster, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var wait = query.EffectiveWait;
        var (answers, roster) = await FleetGather.AskAsync<ListContainers, NodeContainers>(
            asking, new ListContainers { RequestId = requestId, Nodes = query.Nodes, Selector = query.Selector, AnswerBy = DateTimeOffset.UtcNow + wait },
            requestId, answer => (answer.RequestId, answer.Node), Expected(query), token => readRoster(query.EffectiveRosterWindow, token), wait, cancellationToken)
            .ConfigureAwait(false);
        var silent = SilentOf(query, answers.Keys, roster);
        return new FleetInventory
        {
            Containers = [.. answers.Values
                .SelectMany(answer => answer.Containers.Select(container => new FleetContainer(answer.Node, container)))
                .OrderBy(container => container.Node, StringComparer.Ordinal)
                .ThenBy(container => container.Container.Id, StringComparer.Ordinal)],
            Answered = [.. answers.Keys.Order(StringComparer.Ordinal)],
            Silent = silent,
            LastHeard = LastHeardOf(silent, roster),
            Errors = answers.Values.Where(answer => answer.Error is not null).ToDictionary(answer => answer.Node, answer => answer.Error!, StringComparer.Ordinal),
        };
    }

    private static HashSet<string> Expected(FleetQuery query)
    {
        foreach (var node in query.Nodes)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(node, nameof(query));
        }

        return new HashSet<string>(query.Nodes, StringComparer.Ordinal);
    }

    /// <summary>The named nodes that did not answer; with none named, the roster's members that did not.</summary>
    private static string[] SilentOf(FleetQuery query, IEnumerable<string> answered, Roster? roster)
    {
        var heard = answered.ToHashSet(StringComparer.Ordinal);
        var asked = query.Nodes.Count > 0 ? query.Nodes : (IEnumerable<string>?)roster?.Members.Keys ?? [];
        return [.. asked.Distinct(StringComparer.Ordinal).Where(node => !heard.Contains(node)).Order(StringComparer.Ordinal)];
    }

    /// <summary>When the roster last heard each silent node; a node it never heard (or no roster) is left out.</summary>
    private static Dictionary<string, DateTimeOffset> LastHeardOf(IEnumerable<string> silent, Roster? roster) =>
        silent.Where(node => roster?.Members.ContainsKey(node) == true)
            .ToDictionary(node => node, node => roster!.Members[node].SentAt, StringComparer.Ordinal);
}
