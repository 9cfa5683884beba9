using EventRuntime.Broker.Tls;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Bus;

/// <summary>Checks the broker settings at start, TLS files included, so that a bad one stops the agent with one line instead of a retry loop.</summary>
public sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("amqp" or "amqps"))
        {
            return ValidateOptionsResult.Fail("RabbitMq:Url must be an amqp:// or amqps:// URL");
        }

        var problems = BrokerTlsCheck.Problems(url, options.Tls, "RabbitMq:Url", $"{RabbitMqOptions.Section}:{BrokerTlsOptions.Section}");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
