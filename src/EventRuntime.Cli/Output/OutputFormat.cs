namespace EventRuntime.Cli.Output;

/// <summary>The values of <c>--output</c>.</summary>
internal static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";

    public static readonly string[] All = [Table, Json];
}
