using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventRuntime.Node.Bus;

/// <summary>Checks the JSON types of a StopContainer's fields, to name the one that kept it from parsing.</summary>
internal static class StopContainerFields
{
    public static string? Problem(JsonObject fields)
    {
        foreach (var (name, value) in fields)
        {
            var problem = name.ToLowerInvariant() switch
            {
                "commandid" => IsString(value) && Guid.TryParse(value!.GetValue<string>(), out _) ? null : $"commandId {Show(value)} is not a UUID",
                "node" or "containerid" => value is null || IsString(value) ? null : $"{name} {Show(value)} is not a string",
                "timeoutseconds" => IsInteger(value) ? null : $"timeoutSeconds {Show(value)} is not a whole number of seconds",
                "resumepaused" => value?.GetValueKind() is null or JsonValueKind.True or JsonValueKind.False ? null : $"resumePaused {Show(value)} is not true or false",
                "signature" => value is null || IsString(value) ? null : $"signature {Show(value)} is not a string",
                "signedat" => value is null || (IsString(value) && value.AsValue().TryGetValue<DateTimeOffset>(out _))
                    ? null : $"signedAt {Show(value)} is not an ISO 8601 timestamp",
                _ => null, // unknown fields are fine: newer senders may add some
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    public static string? Text(JsonObject fields, string name)
    {
        var value = fields.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        return IsString(value) ? value!.GetValue<string>() : null;
    }

    private static bool IsString(JsonNode? value) => value?.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode? value) =>
        value?.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<int>(out _);

    private static string Show(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 64 ? text[..64] + "…" : text;
    }
}
