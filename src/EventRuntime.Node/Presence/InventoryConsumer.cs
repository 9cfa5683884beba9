using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Presence;

/// <summary>
/// Answers <see cref="ListContainers"/> from the container records with the containers whose labels match the
/// selector. A question it cannot answer (a selector it cannot read, a record it cannot read) is still answered,
/// with <see cref="NodeContainers.Error"/> saying why, so that the asker can tell a node in trouble from a silent one.
/// </summary>
public sealed class InventoryConsumer(ContainerStore store, IOptions<NodeOptions> node, TimeProvider clock) : IConsumer<ListContainers>
{
    public async Task Consume(ConsumeContext<ListContainers> context)
    {
        var request = context.Message;
        if (!FleetQuestion.IsFor(node.Value.Name, request.Nodes, request.AnswerBy, clock.GetUtcNow()))
        {
            return;
        }

        var answer = new NodeContainers { RequestId = request.RequestId, Node = node.Value.Name };
        try
        {
            var selector = LabelSelector.Parse(request.Selector);
            answer = answer with { Containers = [.. store.LoadAll().Where(record => selector.Matches(record.Labels ?? Empty)).Select(Summary)] };
        }
        catch (FormatException e)
        {
            answer = answer with { Error = $"failed to list the containers of node {node.Value.Name}: {e.Message}" };
        }
        catch (Exception e) when (e is ContainerStoreException or IOException or UnauthorizedAccessException)
        {
            answer = answer with { Error = $"failed to list the containers of node {node.Value.Name}: {e.Message}" };
        }

        await context.Publish(answer, context.CancellationToken).ConfigureAwait(false);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static ContainerSummary Summary(ContainerRecord record) => new()
    {
        Id = record.Id,
        InstanceId = record.InstanceId,
        Status = record.Status.ToString().ToLowerInvariant(),
        Labels = record.Labels ?? Empty,
        Runtime = record.Runtime,
        CreatedAt = record.CreatedAt,
    };
}
