using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Operations;

/// <summary>Refuses an exporter the agent does not know (a typo used to mean "console") and an unusable OTLP endpoint, one line each.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public static readonly string[] Exporters = ["none", "console", "otlp"];

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (!Exporters.Contains(options.Exporter, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Telemetry:Exporter \"{options.Exporter}\" is not one of {string.Join(", ", Exporters)}");
        }
        else if (string.Equals(options.Exporter, "otlp", StringComparison.OrdinalIgnoreCase) && HttpUrl.Problem(options.OtlpEndpoint) is { } problem)
        {
            failures.Add($"Telemetry:OtlpEndpoint {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
