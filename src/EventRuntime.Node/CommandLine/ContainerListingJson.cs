using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventRuntime.Node.CommandLine;

/// <summary>
/// One row of <c>eventruntime-node list -o json</c>. The shape is a contract for scripts: these names (camelCase), in
/// this order, every field always present. A record rather than an anonymous object so that its JSON is generated at
/// build time (<see cref="ContainerListingJsonContext"/>), not emitted by reflection on every run.
/// </summary>
internal sealed record ContainerListingJson(
    string Id,
    string? InstanceId,
    string Recorded,
    string RuntimeStatus,
    string Runtime,
    bool Mounted,
    string StopSignal,
    IReadOnlyDictionary<string, string> Labels,
    int? ExitCode,
    MonitorListingJson Monitor,
    string? LogPath,
    string? ExitFile,
    string? CgroupsPath,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>The <c>monitor</c> of a <see cref="ContainerListingJson"/>: conmon's state and pid.</summary>
internal sealed record MonitorListingJson(string State, int? Pid);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(List<ContainerListingJson>))]
internal sealed partial class ContainerListingJsonContext : JsonSerializerContext;
