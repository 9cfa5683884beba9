namespace EventRuntime.Node.Operations;

/// <summary>Where logs go (section "Logging"). Levels come from Serilog's own section. See docs/configuration.md.</summary>
public sealed class LoggingOptions
{
    public const string Section = "Logging";

    /// <summary>"text" (for people) or "json" (compact JSON, one event per line).</summary>
    public string Format { get; set; } = "text";

    /// <summary>Seq's URL; logs also go to Seq when set.</summary>
    public string? SeqUrl { get; set; }

    public string? SeqApiKey { get; set; }
}
