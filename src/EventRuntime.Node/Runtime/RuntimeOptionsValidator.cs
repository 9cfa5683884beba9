using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Runtime;

/// <summary>Checks the runtime's settings; shared by the host and by the verbs that run without one, so both refuse the same values.</summary>
public sealed class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options) =>
        options.CommandTimeout > TimeSpan.Zero ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail("Runtime:CommandTimeout must be positive");
}
