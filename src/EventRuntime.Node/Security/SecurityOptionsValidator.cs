using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Security;

/// <summary>Checks the signing settings at start, one line per failure, so a node never runs with a key it cannot use (the replay window against the saga retention: SagaStoreOptionsValidator).</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
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

        if (CommandSignatureCheck.PreviousKeyProblem(options) is { } rotationProblem)
        {
            failures.Add(rotationProblem);
        }

        if (options.ReplayWindowSeconds <= 0)
        {
            failures.Add($"Security:ReplayWindowSeconds {options.ReplayWindowSeconds} must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
