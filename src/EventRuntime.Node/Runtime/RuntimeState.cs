using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventRuntime.Node.Runtime;

/// <summary>What <c>runc state ID</c> says about one container.</summary>
public sealed record RuntimeState(string Id, RuntimeStatus Status, int Pid, string Bundle)
{
    /// <summary>A container is gone once the runtime says stopped; runc also reports pid 0 then.</summary>
    public bool IsStopped => Status == RuntimeStatus.Stopped;

    internal static RuntimeState Parse(string json)
    {
        var dto = JsonSerializer.Deserialize(json, RuntimeStateJsonContext.Default.RuntimeStateDto)
            ?? throw new FormatException("runtime state is empty");
        if (!Enum.TryParse<RuntimeStatus>(dto.Status, ignoreCase: true, out var status))
        {
            throw new FormatException($"runtime state has unknown status \"{dto.Status}\"");
        }

        return new RuntimeState(dto.Id ?? "", status, dto.Pid, dto.Bundle ?? "");
    }
}

internal sealed record RuntimeStateDto(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("bundle")] string? Bundle);

[JsonSerializable(typeof(RuntimeStateDto))]
internal sealed partial class RuntimeStateJsonContext : JsonSerializerContext;
