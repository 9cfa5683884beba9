using EventRuntime.Node.Security;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Sagas;

/// <summary>Checks at start that answered command ids are remembered for as long as a signed command may be replayed.</summary>
public sealed class SagaStoreOptionsValidator(IOptions<SecurityOptions> security) : IValidateOptions<SagaStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SagaStoreOptions options)
    {
        var window = security.Value.ReplayWindowSeconds;
        // A signed command is accepted from window before its signedAt to window after it; its id must be
        // remembered for that whole span, or a replay late in it would stop the container a second time.
        return window > 0 && TimeSpan.FromSeconds(2.0 * window) > options.CompletedRetention
            ? ValidateOptionsResult.Fail($"Security:ReplayWindowSeconds {window} is too long for Sagas:CompletedRetention {options.CompletedRetention}: " +
                                         "twice the window must fit in the retention, or a replayed command could stop a container twice")
            : ValidateOptionsResult.Success;
    }
}
