using System.Text.Json;
using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Reads a StopContainer's fields as JSON, before and apart from MassTransit's deserializer: to name the field
/// that kept a command from parsing, and to refuse a command whose fields a reader of the first key and a
/// reader of the last would see differently.
/// </summary>
internal static class StopContainerFields
{
    private static readonly string StopContainerUrn = MessageUrn.ForTypeString<StopContainer>();

    /// <summary>
    /// The command's fields: the envelope's "message" object when the envelope names StopContainer, or the whole
    /// body when it came without an envelope; null for anything else.
    /// </summary>
    public static JsonElement? CommandOf(JsonDocument body)
    {
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (First(root, "messageType") is not { } types)
        {
            return root;
        }

        var namesStopContainer = types.ValueKind == JsonValueKind.Array
            && types.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == StopContainerUrn);
        return namesStopContainer && First(root, "message") is { ValueKind: JsonValueKind.Object } message ? message : null;
    }

    /// <summary>
    /// Null when the body is no StopContainer, or one whose envelope and fields follow the contract: each key once
    /// in any casing, each field of the JSON type the contract gives it. Otherwise the reason to refuse it.
    /// </summary>
    public static string? ProblemOf(JsonDocument body) =>
        body.RootElement.ValueKind != JsonValueKind.Object
            ? null
            : DuplicateIn(body.RootElement) ?? (CommandOf(body) is { } fields ? FieldProblem(fields) : null);

    private static string? FieldProblem(JsonElement fields)
    {
        if (DuplicateIn(fields) is { } duplicate)
        {
            return duplicate;
        }

        foreach (var field in fields.EnumerateObject())
        {
            var value = field.Value;
            var problem = field.Name.ToLowerInvariant() switch
            {
                // The one spelling System.Text.Json reads: 36 characters, hyphens, hex digits in any case.
                "commandid" => value.ValueKind == JsonValueKind.String && value.GetString() is { Length: 36 } id && Guid.TryParseExact(id, "D", out _)
                    ? null : $"commandId {Show(value)} is not a UUID in its 36-character form (8-4-4-4-12 hex digits)",
                "node" or "containerid" or "signature" => value.ValueKind is JsonValueKind.String or JsonValueKind.Null ? null : $"{field.Name} {Show(value)} is not a string",
                "timeoutseconds" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : $"timeoutSeconds {Show(value)} is not a whole number of seconds",
                "resumepaused" => value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null ? null : $"resumePaused {Show(value)} is not true or false",
                "signedat" or "expiresat" => value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _))
                    ? null : $"{field.Name} {Show(value)} is not an ISO 8601 timestamp",
                "instanceid" => value.ValueKind is JsonValueKind.String or JsonValueKind.Null ? null : $"{field.Name} {Show(value)} is not a string",
                "drainseconds" => value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _))
                    ? null : $"drainSeconds {Show(value)} is not a whole number of seconds",
                _ => null, // unknown fields are fine: newer senders may add some
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>The first string value of the field <paramref name="name"/>, in any casing.</summary>
    public static string? Text(JsonElement fields, string name) =>
        First(fields, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement? First(JsonElement fields, string name)
    {
        foreach (var field in fields.EnumerateObject())
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return field.Value;
            }
        }

        return null;
    }

    // MassTransit's reader matches names in any casing and keeps the last: containerId "a" then ContainerId "b" stops b.
    private static string? DuplicateIn(JsonElement fields)
    {
        var repeated = fields.EnumerateObject().GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return repeated is null
            ? null
            : $"field {HostileText.Quoted(repeated.Key, 64)} appears {repeated.Count()} times ({string.Join(", ", repeated.Select(f => HostileText.Quoted(f.Name, 64)).Distinct())}); " +
              "a command must name each field once";
    }

    // Compact, as the sender's JSON would be written without white space.
    private static string Show(JsonElement value) => HostileText.Quoted(JsonSerializer.Serialize(value), 64);
}
