using System.Text.Json;
using EventRuntime.Contracts;
using RabbitMQ.Client;

namespace EventRuntime.Client;

/// <summary>
/// A command as the wire contract's bare JSON (content type application/json, docs/wire-contract.md), for the paths
/// that publish with RabbitMQ.Client instead of the bus: persistent, with its command id as the message id.
/// </summary>
internal static class RawCommand
{
    public static byte[] Body(StopContainer command) => JsonSerializer.SerializeToUtf8Bytes(command, WireJson.Default.StopContainer);

    public static BasicProperties Properties(StopContainer command) =>
        new() { ContentType = "application/json", Persistent = true, MessageId = command.CommandId.ToString() };
}
