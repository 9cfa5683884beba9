using EventRuntime.Node.Sagas;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Security;

/// <summary>Checks the signing settings at start, one line per failure, so a node never runs with a key it cannot use.</summary>
public sealed class SecurityOptionsValidator(IOptions<SagaStoreOptions> sagas) : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.CommandKeyFile) && !string.IsNullOrEmpty(options.CommandKey))
        {
            failures.Add("Security:CommandKeyFile and Security:CommandKey are both set; set one");
        }
        else if (CommandSignatureCheck.KeyProblem(options) is { } keyProblem)
        {
            failures.Add(keyProblem);
        }

        var retention = sagas.Value.CompletedRetention;
        if (options.ReplayWindowSeconds <= 0)
        {
            failures.Add($"Security:ReplayWindowSeconds {options.ReplayWindowSeconds} must be positive");
        }
        else if (TimeSpan.FromSeconds(2.0 * options.ReplayWindowSeconds) > retention)
        {
            // A signed command is accepted from window before its signedAt to window after it; its id must be
            // remembered for that whole span, or a replay late in it would stop the container a second time.
            failures.Add($"Security:ReplayWindowSeconds {options.ReplayWindowSeconds} is too long for Sagas:CompletedRetention {retention}: " +
                         "twice the window must fit in the retention, or a replayed command could stop a container twice");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
