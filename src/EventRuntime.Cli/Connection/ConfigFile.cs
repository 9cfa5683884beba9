using System.Collections;
using System.Text.Json;

namespace EventRuntime.Cli.Connection;

/// <summary>ert's config file: a JSON object, today with one setting, <c>{ "rabbitmq": "amqp://…" }</c>.</summary>
internal static class ConfigFile
{
    public static string DefaultPath(IDictionary environment)
    {
        var configHome = environment["XDG_CONFIG_HOME"] as string;
        if (string.IsNullOrWhiteSpace(configHome))
        {
            configHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return Path.Combine(configHome, "ert", "config.json");
    }

    /// <summary>The file's "rabbitmq" value; null when the file or the value is absent and the file was not asked for by name.</summary>
    public static string? ReadRabbitMqUrl(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist ? throw new UsageException($"config file {path} does not exist") : null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("rabbitmq", out var url)
                   && url.ValueKind == JsonValueKind.String
                ? url.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"config file {path} cannot be read: {e.Message}");
        }
    }
}
