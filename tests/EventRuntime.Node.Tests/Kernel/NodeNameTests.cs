using EventRuntime.Node.Kernel;

namespace EventRuntime.Node.Tests.Kernel;

public sealed class NodeNameTests
{
    // Node X's user may read eventruntime-node-X(_fleet)?(_error|_skipped)?: a node named X_error would be given, and
    // would give away, rights to node X's error queue. Such names are refused (add-node.sh refuses them too).
    [Theory]
    [InlineData("rp2_error", "Node:Name \"rp2_error\" must not end in _error: eventruntime-node-rp2_error is node rp2's error queue")]
    [InlineData("rp2_skipped", "Node:Name \"rp2_skipped\" must not end in _skipped: eventruntime-node-rp2_skipped is node rp2's skipped queue")]
    [InlineData("rp2_fleet", "Node:Name \"rp2_fleet\" must not end in _fleet: eventruntime-node-rp2_fleet is node rp2's fleet queue")]
    [InlineData("rp2_errors", null)]
    [InlineData("my_node", null)]
    [InlineData("error", null)]
    public void A_node_name_that_names_another_node_s_queue_is_refused(string name, string? expected)
    {
        var result = new NodeOptionsValidator().Validate(null, new NodeOptions { Name = name, StateDirectory = Path.GetTempPath() });

        Assert.Equal(expected, result.Failed ? string.Join(" | ", result.Failures!) : null);
    }
}
