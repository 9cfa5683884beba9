using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Operations;

/// <summary>Refuses a console format the agent does not know and a Seq URL it cannot send to, one line each.</summary>
public sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    public static readonly string[] Formats = ["text", "json"];

    public ValidateOptionsResult Validate(string? name, LoggingOptions options)
    {
        var failures = new List<string>();
        if (!Formats.Contains(options.Format, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Logging:Format \"{options.Format}\" is not one of {string.Join(", ", Formats)}");
        }

        if (!string.IsNullOrWhiteSpace(options.SeqUrl) && HttpUrl.Problem(options.SeqUrl) is { } problem)
        {
            failures.Add($"Logging:SeqUrl {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
