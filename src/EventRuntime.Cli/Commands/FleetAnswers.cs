using EventRuntime.Client;

namespace EventRuntime.Cli.Commands;

/// <summary>What ert says on stderr about the nodes behind an inventory: who did not answer, who could not list.</summary>
internal static class FleetAnswers
{
    /// <summary>Writes one line per silent or failing node; true when there was none (the inventory is complete) and some node answered.</summary>
    public static bool Report(TextWriter stderr, FleetInventory inventory, FleetQuery query)
    {
        foreach (var node in inventory.Silent)
        {
            stderr.WriteLine($"ert: node {node} did not answer within {Output.Format.Seconds(query.EffectiveWait)}: its agent is down or cut off from the broker, and its containers are not listed{Output.Format.LastHeard(inventory.LastHeard, node)}");
        }

        foreach (var (node, error) in inventory.Errors)
        {
            stderr.WriteLine($"ert: node {node}: {error}");
        }

        if (inventory.Answered.Count == 0)
        {
            stderr.WriteLine("ert: no node agent answered");
            return false;
        }

        return inventory.IsComplete;
    }
}
