using EventRuntime.Node.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventRuntime.Node.Tests.Operations;

public sealed class HostLoggerTests
{
    // Serilog's static logger is one per process: a host that set it would take every other in-process
    // host's events into its own sinks, and its shutdown would flush and close them for all.
    [Fact]
    public async Task Each_host_logs_through_a_logger_of_its_own_and_leaves_the_static_one_alone()
    {
        var staticLogger = Serilog.Log.Logger;
        await using var first = LoggingOnly("node-a");
        await using var second = LoggingOnly("node-b");

        var firstFactory = first.GetRequiredService<ILoggerFactory>();
        var secondFactory = second.GetRequiredService<ILoggerFactory>();
        firstFactory.CreateLogger("test").LogInformation("from node-a");
        await first.DisposeAsync();
        secondFactory.CreateLogger("test").LogInformation("node-b still logs after node-a is gone");

        Assert.NotSame(firstFactory, secondFactory);
        Assert.Same(staticLogger, Serilog.Log.Logger);
    }

    private static ServiceProvider LoggingOnly(string node)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Node:Name"] = node }).Build();
        return new ServiceCollection().AddNodeLogging(configuration).BuildServiceProvider();
    }
}
