using EventRuntime.Node.Security;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Sagas;

/// <summary>Checks the saga store's settings at start, and that answered command ids are remembered for as long as a signed command may be replayed.</summary>
public sealed class SagaStoreOptionsValidator(IOptions<SecurityOptions> security) : IValidateOptions<SagaStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SagaStoreOptions options)
    {
        var failures = new List<string>();
        if (options.CompletedRetention <= TimeSpan.Zero)
        {
            failures.Add("Sagas:CompletedRetention must be positive");
        }

        if (options.LockWait <= TimeSpan.Zero)
        {
            failures.Add("Sagas:LockWait must be positive");
        }

        var window = security.Value.ReplayWindowSeconds;
        // A signed command is accepted from window before its signedAt to window after it; its id must be
        // remembered for that whole span, or a replay late in it would stop the container a second time.
        if (window > 0 && TimeSpan.FromSeconds(2.0 * window) > options.CompletedRetention)
        {
            failures.Add($"Security:ReplayWindowSeconds {window} is too long for Sagas:CompletedRetention {options.CompletedRetention}: " +
                         "twice the window must fit in the retention, or a replayed command could stop a container twice");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
