using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventRuntime.Cli.Output;

/// <summary>ert's JSON output: camelCase, nulls kept (a reader can rely on every field being there).</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Indented = Options(writeIndented: true);
    private static readonly JsonSerializerOptions OneLine = Options(writeIndented: false);

    /// <summary>A whole document, for output that ends (stop, nodes).</summary>
    public static void Write<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>One object per line, for output that streams (events --follow).</summary>
    public static void WriteLine<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, OneLine));

    private static JsonSerializerOptions Options(bool writeIndented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = writeIndented,
    };
}
