using System.Text.Json;
using System.Text.Json.Serialization;
using EventRuntime.Contracts;

namespace EventRuntime.Client;

/// <summary>
/// The JSON of the messages that the direct transport writes and reads itself, generated at build time: a one-shot
/// process pays for reflection-based serializers in start-up time (docs/benchmarks.md, "ert against podman").
/// Web defaults (camelCase, case-insensitive reads), as the wire contract's bare JSON and MassTransit's messages are.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StopContainer))]
[JsonSerializable(typeof(ContainerStopped))]
[JsonSerializable(typeof(ContainerStopFailed))]
[JsonSerializable(typeof(PingNodes))]
[JsonSerializable(typeof(NodePresence))]
[JsonSerializable(typeof(ListContainers))]
[JsonSerializable(typeof(NodeContainers))]
internal sealed partial class WireJson : JsonSerializerContext;
