using System.Text.Json;
using System.Text.Json.Nodes;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Creating;

/// <summary>
/// Writes an OCI bundle: the runtime's own default config.json (so it always matches the runtime's
/// version), changed to run <c>args</c> on the container's mounted root, without a terminal, in the
/// cgroup <paramref name="cgroupsPath"/> of <see cref="WriteAsync"/>.
/// </summary>
internal static class BundleWriter
{
    public static async Task WriteAsync(
        IOciRuntime runtime, string bundle, string containerId, string rootfs, IReadOnlyList<string> args, string cgroupsPath,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(bundle);
        var configPath = Path.Combine(bundle, "config.json");
        File.Delete(configPath);
        await runtime.WriteDefaultSpecAsync(bundle, cancellationToken).ConfigureAwait(false);

        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath, cancellationToken).ConfigureAwait(false))
            ?? throw new InvalidDataException($"{configPath} is empty");
        config["root"] = new JsonObject { ["path"] = rootfs, ["readonly"] = false };
        config["hostname"] = containerId;
        var process = config["process"]?.AsObject() ?? throw new InvalidDataException($"{configPath} has no process");
        // A detached container must not hold a terminal: runc would wait for a console socket.
        process["terminal"] = false;
        process["args"] = new JsonArray(args.Select(arg => (JsonNode?)JsonValue.Create(arg)).ToArray());
        // Without it runc names the cgroup after the id alone, and equal ids of two nodes share one.
        var linux = config["linux"]?.AsObject() ?? throw new InvalidDataException($"{configPath} has no linux section");
        linux["cgroupsPath"] = cgroupsPath;

        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken)
            .ConfigureAwait(false);
    }
}
