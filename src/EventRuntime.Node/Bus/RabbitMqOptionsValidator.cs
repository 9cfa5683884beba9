using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;
using EventRuntime.Node.Stopping;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Checks the broker settings at start, TLS files included, so that a bad one stops the agent with one line
/// instead of a retry loop; and that the longest stop fits in the broker's consumer_timeout, which would
/// otherwise close the channel under a long grace period and deliver the command again and again.
/// </summary>
public sealed class RabbitMqOptionsValidator(IOptions<StopOptions> stop) : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("amqp" or "amqps"))
        {
            return ValidateOptionsResult.Fail("RabbitMq:Url must be an amqp:// or amqps:// URL");
        }

        var problems = BrokerTlsCheck.Problems(url, options.Tls, "RabbitMq:Url", $"{RabbitMqOptions.Section}:{BrokerTlsOptions.Section}").ToList();
        if (BrokerNodes.Problem(options.ClusterNodes, "RabbitMq:ClusterNodes") is { } nodes)
        {
            problems.Add(nodes);
        }

        if (!Enum.IsDefined(options.QueueType))
        {
            problems.Add($"RabbitMq:QueueType {options.QueueType} is not one of {string.Join(", ", Enum.GetNames<BrokerQueueType>())}");
        }

        try
        {
            _ = BrokerPassword.FromFile(options.PasswordFile);
        }
        catch (IOException e)
        {
            problems.Add(e.Message);
        }

        if (LongestStopOrNull() is { } longest && longest >= options.ConsumerTimeout)
        {
            problems.Add($"RabbitMq:ConsumerTimeout {options.ConsumerTimeout} (the broker's consumer_timeout) must exceed the longest stop, {longest} " +
                         "(Stop:MaxTimeoutSeconds + Stop:KillDeadline + Stop:StateWaitDeadline): lower those, or raise consumer_timeout on the broker and here");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    // Invalid Stop settings are reported by their own validation, once; they cannot be compared here.
    private TimeSpan? LongestStopOrNull()
    {
        try
        {
            return stop.Value.LongestStop;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
