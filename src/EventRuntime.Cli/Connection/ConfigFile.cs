using System.Collections;
using System.Text.Json;
using EventRuntime.Broker.Tls;

namespace EventRuntime.Cli.Connection;

/// <summary>
/// ert's config file: a JSON object with <c>"rabbitmq": "amqp(s)://…"</c>, for a cluster <c>"clusterNodes": "host:port,…"</c>,
/// and, for amqps, a <c>"tls"</c> object with the
/// node's RabbitMq:Tls settings (<c>required</c>, <c>caFile</c>, <c>clientCertificateFile</c>, <c>clientKeyFile</c>,
/// <c>clientKeyPasswordFile</c>, <c>serverName</c>). Relative file names are relative to the config file.
/// </summary>
internal static class ConfigFile
{
    private static readonly JsonSerializerOptions TlsJson = new() { PropertyNameCaseInsensitive = true };

    public static string DefaultPath(IDictionary environment)
    {
        var configHome = environment["XDG_CONFIG_HOME"] as string;
        if (string.IsNullOrWhiteSpace(configHome))
        {
            configHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return Path.Combine(configHome, "ert", "config.json");
    }

    /// <summary>The file's settings; empty when the file is absent and was not asked for by name.</summary>
    public static (string? RabbitMqUrl, BrokerTlsOptions Tls, string? ClusterNodes) Read(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist ? throw new UsageException($"config file {path} does not exist") : (null, new BrokerTlsOptions(), null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, new BrokerTlsOptions(), null);
            }

            var url = root.TryGetProperty("rabbitmq", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var nodes = root.TryGetProperty("clusterNodes", out var list) && list.ValueKind == JsonValueKind.String ? list.GetString() : null;
            var tls = root.TryGetProperty("tls", out var section) && section.ValueKind == JsonValueKind.Object
                ? section.Deserialize<BrokerTlsOptions>(TlsJson) ?? new BrokerTlsOptions()
                : new BrokerTlsOptions();
            return (url, RelativeTo(Path.GetDirectoryName(Path.GetFullPath(path))!, tls), nodes);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"config file {path} cannot be read: {e.Message}");
        }
    }

    private static BrokerTlsOptions RelativeTo(string directory, BrokerTlsOptions tls)
    {
        string? Resolve(string? file) => string.IsNullOrWhiteSpace(file) ? file : Path.Combine(directory, file);
        tls.CaFile = Resolve(tls.CaFile);
        tls.ClientCertificateFile = Resolve(tls.ClientCertificateFile);
        tls.ClientKeyFile = Resolve(tls.ClientKeyFile);
        tls.ClientKeyPasswordFile = Resolve(tls.ClientKeyPasswordFile);
        return tls;
    }
}
