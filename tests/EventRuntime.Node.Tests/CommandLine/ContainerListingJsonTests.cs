using System.Text.Json;
using EventRuntime.Node.CommandLine;

namespace EventRuntime.Node.Tests.CommandLine;

// list -o json is a contract for scripts. Its rows are now a record with generated JSON; they must print exactly what
// the former anonymous object printed through the reflection serializer: names, order, nulls, dates.
public sealed class ContainerListingJsonTests
{
    private static readonly JsonSerializerOptions FormerOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static TheoryData<string, int?, int?, DateTimeOffset?> Rows => new()
    {
        { "an exited container", 4, 4242, new DateTimeOffset(2026, 12, 1, 16, 0, 2, TimeSpan.FromHours(1)) },
        { "a running container", null, 4243, null },
        { "a container without a monitor", null, null, null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_row_prints_as_before(string description, int? exitCode, int? pid, DateTimeOffset? finishedAt)
    {
        _ = description;
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front+back" };
        var createdAt = new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero);
        var row = new ContainerListingJson("web-1", "0f8fad5b-d9cb-469f-a165-70867728950e", "stopped", "gone", "runc", false, "SIGTERM", labels,
            exitCode, new MonitorListingJson("exited", pid), "/state/bundles/web-1/container.log", "/state/exits/web-1", "/eventruntime/n-1/web-1", createdAt, finishedAt);
        var former = new
        {
            id = "web-1",
            instanceId = "0f8fad5b-d9cb-469f-a165-70867728950e",
            recorded = "stopped",
            runtimeStatus = "gone",
            runtime = "runc",
            mounted = false,
            stopSignal = "SIGTERM",
            labels = (IReadOnlyDictionary<string, string>)labels,
            exitCode,
            monitor = new { state = "exited", pid },
            logPath = "/state/bundles/web-1/container.log",
            exitFile = "/state/exits/web-1",
            cgroupsPath = "/eventruntime/n-1/web-1",
            createdAt,
            finishedAt,
        };

        Assert.Equal(JsonSerializer.Serialize(new[] { former }, FormerOptions), JsonSerializer.Serialize([row], ContainerListingJsonContext.Default.ListContainerListingJson));
    }
}
