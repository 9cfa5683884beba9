using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace EventRuntime.Node.Operations;

/// <summary>
/// Masks secrets in every string property before any sink sees the event: the password of any
/// amqp(s):// URL, and the configured secrets (the Seq API key, an inline command key) wherever they appear.
/// </summary>
public sealed partial class SecretMaskingEnricher(IEnumerable<string?> secrets) : ILogEventEnricher
{
    public const string Mask = "***";

    private readonly string[] secrets = secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).Select(s => s!).ToArray();

    [GeneratedRegex(@"(amqps?://[^:/@\s]+:)[^@\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (value is ScalarValue { Value: string text } && Masked(text) is { } masked)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(masked)));
            }
        }
    }

    public string? Masked(string text)
    {
        var masked = UrlPassword().Replace(text, "$1" + Mask + "@");
        foreach (var secret in secrets)
        {
            masked = masked.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return ReferenceEquals(masked, text) || masked == text ? null : masked;
    }
}
