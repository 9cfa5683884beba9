using System.Collections;
using System.Text.Json;

namespace EventRuntime.Node.CommandLine;

/// <summary>
/// The node's settings as the node's host reads them for a verb (its builder, in the root), read without a host or
/// Microsoft.Extensions.Configuration: for <c>list</c> and <c>logs</c>, which start as often as a command line does,
/// building the host took ~170 ms and the configuration stack alone (its providers and the reflection binder) ~80 ms
/// of a ~130 ms run (docs/benchmarks.md). The sources and their order are the host's, lowest precedence first:
/// DOTNET_ variables, appsettings.json and appsettings.{environment}.json next to the executable, all variables,
/// EVENTRUNTIME_ variables, then the command line's settings. Keys are case-insensitive and <c>__</c> in a variable
/// stands for <c>:</c>, as there. LocalNodeTests holds what this binds to what the host binds.
/// </summary>
internal sealed class NodeSettings
{
    private const string DefaultEnvironment = "Production";

    // What Microsoft.Extensions.Configuration.Json accepts in appsettings.json.
    private static readonly JsonDocumentOptions JsonFileOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Dictionary<string, string?> values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings of the host whose appsettings files are in <paramref name="directory"/> (the host's executable's).</summary>
    public static NodeSettings Read(IReadOnlyDictionary<string, string?> overrides, string directory) =>
        Read(overrides, Environment.GetEnvironmentVariables(), directory);

    internal static NodeSettings Read(IReadOnlyDictionary<string, string?> overrides, IDictionary environment, string directory)
    {
        var settings = new NodeSettings();
        settings.AddVariables(environment, "DOTNET_");
        // The host's environment is its DOTNET_ENVIRONMENT, read through its DOTNET_ variables as here.
        var environmentName = settings.Get("environment") ?? DefaultEnvironment;
        settings.AddJsonFile(Path.Combine(directory, "appsettings.json"));
        settings.AddJsonFile(Path.Combine(directory, $"appsettings.{environmentName}.json"));
        settings.AddVariables(environment, "");
        settings.AddVariables(environment, "EVENTRUNTIME_");
        foreach (var (key, value) in overrides)
        {
            settings.values[key] = value;
        }

        return settings;
    }

    /// <summary>The value at <paramref name="key"/> (<c>Section:Key</c>), or null when no source sets it.</summary>
    public string? Get(string key) => values.GetValueOrDefault(key);

    private void AddVariables(IDictionary environment, string prefix)
    {
        foreach (DictionaryEntry variable in environment)
        {
            var name = (string)variable.Key;
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                values[name[prefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = (string?)variable.Value;
            }
        }
    }

    private void AddJsonFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Optional, as the host's appsettings files are.
            return;
        }

        using var document = JsonDocument.Parse(text, JsonFileOptions);
        AddElement(document.RootElement, "");
    }

    private void AddElement(JsonElement element, string key)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AddElement(property.Value, key.Length == 0 ? property.Name : $"{key}:{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AddElement(item, $"{key}:{index++}");
                }

                break;
            case JsonValueKind.Null:
                values[key] = null;
                break;
            default:
                values[key] = element.ToString();
                break;
        }
    }
}
