using EventRuntime.Node.Kernel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client.Exceptions;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Checks, every <see cref="IntakeOptions.ConsumerCheckInterval"/>, that the broker has a consumer on the node's command
/// queue, and replaces the endpoint (<see cref="CommandIntake.ReconnectAsync"/>) when it has had none for
/// <see cref="IntakeOptions.ConsumerGrace"/>. Seen on a three-node cluster under load: after the queue's leader was
/// killed, MassTransit reconnected, went on calling the bus healthy, and the queue had no consumer; its commands waited
/// until the agent restarted. What the last check found is part of /health/ready (<see cref="Problem"/>).
/// </summary>
public sealed class CommandConsumerWatchdog(
    CommandIntake intake,
    IOptions<RabbitMqOptions> broker,
    IOptions<IntakeOptions> options,
    TimeProvider time,
    ILogger<CommandConsumerWatchdog> logger) : BackgroundService
{
    /// <summary>How long the new endpoint gets to consume before the checks go on.</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(60);

    private DateTimeOffset? unconsumedSince;

    /// <summary>Why the command queue is not consumed, from the check that found it unconsumed past the grace until one finds a consumer.</summary>
    public string? Problem { get; private set; }

    /// <summary>How many times the endpoint was replaced.</summary>
    public int Reconnects { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ConsumerCheckInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var probe = new CommandQueueProbe(broker.Value);
        try
        {
            // Checks start once MassTransit has consumed for the first time: before that, no consumer is the normal state.
            if (intake.Ready is { } ready)
            {
                await ready.WaitAsync(stoppingToken).ConfigureAwait(false);
            }

            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CheckAsync(probe, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // A check is no reason to end the agent (a failing background service stops the host): the next one runs.
                    logger.LogWarning(e, "Checking the consumers of command queue {Queue} failed", intake.Queue);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(CommandQueueProbe probe, CancellationToken cancellationToken)
    {
        if (await ConsumersAsync(probe, cancellationToken).ConfigureAwait(false) is not { } consumers)
        {
            // No broker to ask: MassTransit's bus check says so. The grace starts again with the next answer, so that a zero
            // seen once after an outage (a quorum queue electing its leader) is not taken for a whole grace without a consumer.
            unconsumedSince = null;
            return;
        }

        var now = time.GetUtcNow();
        if (consumers > 0)
        {
            Consumed(consumers);
            return;
        }

        unconsumedSince ??= now;
        var unconsumedFor = now - unconsumedSince.Value;
        if (unconsumedFor < options.Value.ConsumerGrace)
        {
            // MassTransit reconnecting takes a few seconds, and that is no problem yet.
            return;
        }

        // Not ready until the broker counts a consumer again.
        Problem = $"command queue {intake.Queue} had no consumer on the broker for {unconsumedFor.TotalSeconds:0} s";
        logger.LogWarning("Command queue {Queue} has had no consumer on the broker for {Seconds:0} s while the bus counts it consumed; connecting its endpoint again",
            intake.Queue, unconsumedFor.TotalSeconds);
        await intake.ReconnectAsync(cancellationToken).ConfigureAwait(false);
        Reconnects++;
        NodeTelemetry.CommandEndpointReconnects.Add(1);
        unconsumedSince = null;
        try
        {
            if (intake.Ready is { } ready)
            {
                await ready.WaitAsync(ReadyWait, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The new endpoint of command queue {Queue} did not consume within {Seconds:0} s", intake.Queue, ReadyWait.TotalSeconds);
        }

        // Asked again at once: readiness (and systemd's watchdog with it) should not wait a whole interval for the good news.
        if (await ConsumersAsync(probe, cancellationToken).ConfigureAwait(false) is > 0 and var again)
        {
            Consumed(again);
        }
    }

    private void Consumed(uint consumers)
    {
        if (Problem is not null)
        {
            logger.LogInformation("Command queue {Queue} has {Consumers} consumer(s) again", intake.Queue, consumers);
        }

        unconsumedSince = null;
        Problem = null;
    }

    /// <summary>The broker's count, or null when the broker cannot be asked now.</summary>
    private async Task<uint?> ConsumersAsync(CommandQueueProbe probe, CancellationToken cancellationToken)
    {
        try
        {
            return await probe.ConsumersAsync(intake.Queue, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or OperationCanceledException or IOException
                                      && !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Could not ask the broker about command queue {Queue}", intake.Queue);
            return null;
        }
    }
}
