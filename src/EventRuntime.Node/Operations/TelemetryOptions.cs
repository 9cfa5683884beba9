namespace EventRuntime.Node.Operations;

/// <summary>OpenTelemetry exporters (section "Telemetry"). See docs/configuration.md.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>"none", "console" or "otlp": where traces and metrics go.</summary>
    public string Exporter { get; set; } = "none";

    /// <summary>The OTLP collector's endpoint when <see cref="Exporter"/> is "otlp".</summary>
    public string OtlpEndpoint { get; set; } = "http://127.0.0.1:4317";
}
