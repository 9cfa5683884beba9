using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>The two fleet questions: who is there (<see cref="PingNodes"/>), and which containers match (<see cref="ListContainers"/>).</summary>
internal static class FleetQuestions
{
    public static async Task<FleetPresence> PingAsync(IBus bus, string queuePrefix, FleetQuery query, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var wait = query.EffectiveWait;
        var answers = await FleetGather.AskAsync<PingNodes, NodePresence>(
            bus, queuePrefix, new PingNodes { RequestId = requestId, Nodes = query.Nodes, AnswerBy = DateTimeOffset.UtcNow + wait },
            requestId, answer => (answer.RequestId, answer.Node), Expected(query), wait, cancellationToken).ConfigureAwait(false);
        return new FleetPresence
        {
            Live = [.. answers.Values.OrderBy(answer => answer.Node, StringComparer.Ordinal)],
            Silent = SilentOf(query, answers.Keys),
        };
    }

    public static async Task<FleetInventory> ListAsync(IBus bus, string queuePrefix, FleetQuery query, CancellationToken cancellationToken)
    {
        try
        {
            _ = LabelSelector.Parse(query.Selector);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"cannot list the containers of the fleet: {e.Message}", nameof(query), e);
        }

        var requestId = Guid.NewGuid();
        var wait = query.EffectiveWait;
        var answers = await FleetGather.AskAsync<ListContainers, NodeContainers>(
            bus, queuePrefix, new ListContainers { RequestId = requestId, Nodes = query.Nodes, Selector = query.Selector, AnswerBy = DateTimeOffset.UtcNow + wait },
            requestId, answer => (answer.RequestId, answer.Node), Expected(query), wait, cancellationToken).ConfigureAwait(false);
        return new FleetInventory
        {
            Containers = [.. answers.Values
                .SelectMany(answer => answer.Containers.Select(container => new FleetContainer(answer.Node, container)))
                .OrderBy(container => container.Node, StringComparer.Ordinal)
                .ThenBy(container => container.Container.Id, StringComparer.Ordinal)],
            Answered = [.. answers.Keys.Order(StringComparer.Ordinal)],
            Silent = SilentOf(query, answers.Keys),
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

    private static string[] SilentOf(FleetQuery query, IEnumerable<string> answered)
    {
        var heard = answered.ToHashSet(StringComparer.Ordinal);
        return [.. query.Nodes.Distinct(StringComparer.Ordinal).Where(node => !heard.Contains(node)).Order(StringComparer.Ordinal)];
    }
}
