using Microsoft.Extensions.Options;

namespace EventRuntime.Client;

/// <summary>Refuses TLS settings that cannot work with the URL (TLS required on amqp://, unreadable files) when the host starts, naming the setting.</summary>
internal sealed class ClientTlsValidator : IValidateOptions<EventRuntimeClientOptions>
{
    public ValidateOptionsResult Validate(string? name, EventRuntimeClientOptions options) =>
        BrokerAddress.Problem(options.RabbitMqUrl) is null && ClientServiceCollectionExtensions.TlsProblem(options) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
