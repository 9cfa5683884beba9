using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventRuntime.Node.Containers;

/// <summary>
/// The record file's JSON (camelCase, indented, enums by name), generated at build time: the native front's
/// <c>list</c> (the project Node.Native beside this one in src/) cannot serialize by reflection, and the agent reads records the same way.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class ContainerRecordJsonContext : JsonSerializerContext;
