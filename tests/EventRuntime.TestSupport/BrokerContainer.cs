using DotNet.Testcontainers.Containers;
using Testcontainers.RabbitMq;

namespace EventRuntime.TestSupport;

/// <summary>What every RabbitMQ container of the tests shares: its image, how a failed start is explained, rabbitmqctl.</summary>
public static class BrokerContainer
{
    /// <summary>EVENTRUNTIME_RABBITMQ_IMAGE (infra/ci/setup.sh builds a local one), else <see cref="RabbitMqBroker.DefaultImage"/>.</summary>
    public static string Image =>
        Environment.GetEnvironmentVariable("EVENTRUNTIME_RABBITMQ_IMAGE") is { Length: > 0 } configured ? configured : RabbitMqBroker.DefaultImage;

    /// <summary>Starts <paramref name="container"/>; a failure names the image, what it was started with, and how to get Docker ready.</summary>
    public static async Task StartAsync(RabbitMqContainer container, string startedWith = "", string alternative = "")
    {
        try
        {
            await container.StartAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"cannot start RabbitMQ image {Image}{startedWith} through Docker ({e.Message}). Run infra/ci/setup.sh and source infra/ci/env.sh{alternative}.", e);
        }
    }

    /// <summary>Runs rabbitmqctl in <paramref name="container"/>; returns its output, throws when it fails.</summary>
    public static async Task<string> RabbitMqCtlAsync(IContainer container, params string[] arguments)
    {
        var result = await container.ExecAsync(["rabbitmqctl", .. arguments]);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
    }
}
