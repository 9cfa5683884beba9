using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>Where a message must end: as an outcome event, or moved to the node queue's _error or _skipped queue.</summary>
internal enum Fate
{
    Outcome,
    ErrorQueue,
    SkippedQueue,
}

/// <summary>One message as a hostile sender puts it on the node's queue, and where it must end.</summary>
/// <param name="Kind">What kind of hostility, for the counts.</param>
/// <param name="Body">The raw AMQP body.</param>
/// <param name="ContentType">The AMQP content_type property (null: none).</param>
/// <param name="CommandId">The command id that an outcome would carry, when the body holds a readable one.</param>
/// <param name="Expected">Where the message must end.</param>
internal sealed record HostileMessage(string Kind, byte[] Body, string? ContentType, Guid? CommandId, Fate Expected)
{
    public override string ToString() =>
        $"{Kind} ({Body.Length} bytes, {ContentType ?? "no content type"}): {Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 160)))}";
}

/// <summary>
/// CsCheck generators of hostile input for one node: commands with hostile fields, bodies that are no
/// command at all, and message types the node queue does not take. No generated message can legitimately
/// stop a container that exists: commands naming a bystander are always addressed to another node or
/// invalid in another way, and well-formed commands for this node name a container that does not exist.
/// </summary>
internal sealed class HostileMessages(string node, IReadOnlyList<string> bystanders, string ghost)
{
    public const string Envelope = "application/vnd.masstransit+json";
    public const string Json = "application/json";
    private const string StopContainerUrn = "urn:message:EventRuntime.Contracts:StopContainer";

    private static readonly string[] HostileIds =
    [
        "../../etc", "..", ".", "--root=/", "--root", "-h", "a/b", "/etc/passwd", "", " ", "fz-ü", "容器", "fz-\u202egnp.exe",
        "fz-\u200b", "fz-😀", "fz-x\n--all", "fz-\0", new('a', 129), "fz-x;reboot", "$(reboot)",
    ];

    private static readonly string[] WrongContentTypes = ["text/plain", "application/xml", "application/octet-stream", "application/x-www-form-urlencoded", "application/json-patch+json"];

    private Gen<string> ForeignNode => Gen.OneOf("other-node", node.ToUpperInvariant(), node + " ", "", "../" + node, node + "\0", "ñ" + node, node + "-x");

    private Gen<int> Timeout => Gen.Frequency((3, Gen.Int[-3, 5]), (2, Gen.OneOf(int.MinValue, int.MaxValue, -1, 0, 3600, 1_000_000_000)));

    private Gen<string> AnyId => Gen.Frequency(
        (4, Gen.OneOf(HostileIds)),
        (2, Gen.OneOf([.. bystanders, ghost])),
        (2, Gen.String[0, 40]));

    /// <summary>Every kind, weighted so that a run of about a hundred sees each of them several times.</summary>
    public Gen<HostileMessage> Any => Gen.Frequency(
        (4, HostileCommand),
        (2, MalformedCommand),
        (3, BystanderCommand),
        (1, GhostCommand),
        (2, RandomBytes),
        (2, Truncated),
        (1, WrongContentType),
        (2, DeepNesting),
        (1, UnknownType),
        (1, InternalType));

    /// <summary>Well-formed JSON with hostile values: an outcome (InvalidCommand or NotFound) and nothing else.</summary>
    private Gen<HostileMessage> HostileCommand =>
        Gen.Select(Gen.Guid, Gen.Frequency((1, Gen.Const(node)), (1, ForeignNode)), AnyId, Timeout, Gen.Bool)
            .Select((commandId, target, id, timeout, enveloped) =>
                // A bystander is never named by a command that this node would carry out.
                Command("hostile-fields", commandId, bystanders.Contains(id) && target == node ? "other-node" : target, id, timeout, enveloped));

    /// <summary>Commands for a bystander: addressed elsewhere, or with a negative timeout.</summary>
    private Gen<HostileMessage> BystanderCommand =>
        Gen.Select(Gen.Guid, Gen.OneOf([.. bystanders]), Gen.Bool, ForeignNode, Gen.Int[int.MinValue, -1], Gen.Bool)
            .Select((commandId, id, elsewhere, foreign, negative, enveloped) =>
                elsewhere
                    ? Command("bystander-elsewhere", commandId, foreign, id, 1, enveloped)
                    : Command("bystander-negative-timeout", commandId, node, id, negative, enveloped));

    /// <summary>A valid command for a container that does not exist: NotFound, and a huge timeout is harmless.</summary>
    private Gen<HostileMessage> GhostCommand =>
        Gen.Select(Gen.Guid, Timeout, Gen.Bool).Select((commandId, timeout, enveloped) =>
            Command("ghost", commandId, node, ghost, Math.Max(0, timeout), enveloped));

    /// <summary>Fields of the wrong JSON type: the agent names the bad field in an InvalidCommand outcome.</summary>
    private Gen<HostileMessage> MalformedCommand =>
        Gen.Select(Gen.Guid, Gen.OneOf([.. bystanders, ghost]), Gen.Int[0, 4], Gen.Bool).Select((commandId, id, variant, enveloped) =>
        {
            var fields = new JsonObject { ["commandId"] = commandId.ToString(), ["node"] = node, ["containerId"] = id, ["timeoutSeconds"] = 1 };
            var readableId = (Guid?)commandId;
            switch (variant)
            {
                case 0: fields["timeoutSeconds"] = "soon"; break;
                case 1: fields["timeoutSeconds"] = 1e12; break;
                case 2: fields["commandId"] = 42; readableId = Guid.Empty; break;
                case 3: fields["commandId"] = "../../etc"; readableId = Guid.Empty; break;
                default: fields["resumePaused"] = "yes"; break;
            }

            var body = enveloped ? EnvelopeOf(StopContainerUrn, fields) : fields;
            return new HostileMessage("malformed-field", Encoding.UTF8.GetBytes(body.ToJsonString()), enveloped ? Envelope : Json, readableId, Fate.Outcome);
        });

    private static Gen<HostileMessage> RandomBytes =>
        Gen.Select(Gen.Byte.Array[1, 2048], Gen.OneOf(Json, Envelope))
            .Where((bytes, _) => !LooksLikeJsonObject(bytes))
            .Select((bytes, contentType) => new HostileMessage("random-bytes", bytes, contentType, null, Fate.ErrorQueue));

    /// <summary>A valid command cut short: any strict prefix of a JSON object is not JSON.</summary>
    private Gen<HostileMessage> Truncated =>
        Gen.Select(GhostCommand, Gen.Double[0, 1]).Select((whole, cut) =>
            whole with { Kind = "truncated-json", Body = whole.Body[..(1 + (int)(cut * (whole.Body.Length - 2)))], CommandId = null, Expected = Fate.ErrorQueue });

    /// <summary>A valid command under a content type the node reads no message from.</summary>
    private Gen<HostileMessage> WrongContentType =>
        Gen.Select(GhostCommand, Gen.OneOf(WrongContentTypes)).Select((whole, contentType) =>
            whole with { Kind = "wrong-content-type", ContentType = contentType, CommandId = null, Expected = Fate.ErrorQueue });

    /// <summary>Nesting far beyond System.Text.Json's default depth of 64: bare, or inside a valid-looking command.</summary>
    private Gen<HostileMessage> DeepNesting =>
        Gen.Select(Gen.Int[65, 100_000], Gen.Int[0, 2], Gen.OneOf(Json, Envelope), Gen.Guid).Select((depth, shape, contentType, commandId) =>
        {
            var nested = shape == 1
                ? new StringBuilder().Insert(0, "{\"a\":", depth).Append('1').Append('}', depth).ToString()
                : new StringBuilder().Insert(0, "[", depth).Append(']', depth).ToString();
            var body = shape == 2
                ? $$"""{"commandId":"{{commandId}}","node":"{{node}}","containerId":"{{ghost}}","timeoutSeconds":1,"extra":{{nested}}}"""
                : nested;
            return new HostileMessage("deep-nesting", Encoding.UTF8.GetBytes(body), contentType, null, Fate.ErrorQueue);
        });

    /// <summary>An envelope naming a type that nobody consumes here.</summary>
    private Gen<HostileMessage> UnknownType =>
        Gen.Select(Gen.Guid, Gen.OneOf("urn:message:Evil:Thing", "urn:message:EventRuntime.Contracts:StartContainer", "urn:message:System:Object", "")).Select((commandId, urn) =>
        {
            var fields = new JsonObject { ["commandId"] = commandId.ToString(), ["node"] = node, ["containerId"] = ghost, ["timeoutSeconds"] = 0 };
            return new HostileMessage("unknown-type", Encoding.UTF8.GetBytes(EnvelopeOf(urn, fields).ToJsonString()), Envelope, null, Fate.SkippedQueue);
        });

    /// <summary>The agent's own internal answers, sent from outside to the command queue: never consumed there.</summary>
    private static Gen<HostileMessage> InternalType =>
        Gen.Select(Gen.Guid, Gen.OneOf("StopExecuted", "StopExecutionFailed")).Select((correlationId, type) =>
        {
            var fields = new JsonObject
            {
                ["correlationId"] = correlationId.ToString(), ["stoppedAt"] = "2026-01-01T00:00:00Z", ["code"] = "NotFound", ["reason"] = "forged",
            };
            return new HostileMessage("internal-type", Encoding.UTF8.GetBytes(EnvelopeOf($"urn:message:EventRuntime.Node:{type}", fields).ToJsonString()), Envelope, null, Fate.SkippedQueue);
        });

    /// <summary>A body over the node's size cap: a command whose container id alone is <paramref name="bytes"/> long.</summary>
    public HostileMessage Oversized(int bytes, bool enveloped) =>
        Command("oversized", Guid.NewGuid(), node, new string('a', bytes), 1, enveloped) with { CommandId = null, Expected = Fate.ErrorQueue };

    public static JsonObject EnvelopeOf(string urn, JsonObject fields) => new()
    {
        ["messageId"] = Guid.NewGuid().ToString(),
        ["messageType"] = new JsonArray(urn),
        ["message"] = fields,
    };

    private static HostileMessage Command(string kind, Guid commandId, string target, string containerId, int timeoutSeconds, bool enveloped)
    {
        var fields = new JsonObject { ["commandId"] = commandId.ToString(), ["node"] = target, ["containerId"] = containerId, ["timeoutSeconds"] = timeoutSeconds };
        var body = enveloped ? EnvelopeOf(StopContainerUrn, fields) : fields;
        return new HostileMessage(kind, Encoding.UTF8.GetBytes(body.ToJsonString()), enveloped ? Envelope : Json, commandId, Fate.Outcome);
    }

    private static bool LooksLikeJsonObject(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
