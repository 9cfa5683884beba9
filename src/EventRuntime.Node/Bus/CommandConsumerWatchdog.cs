using EventRuntime.Node.Kernel;
using EventRuntime.Node.Stopping;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client.Exceptions;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Checks, every <see cref="IntakeOptions.ConsumerCheckInterval"/>, that the node's command queue is being consumed, by
/// the broker's counts (<see cref="CommandQueueProbe"/>) and the agent's own deliveries, and replaces the endpoint
/// (<see cref="CommandIntake.ReconnectAsync"/>) when it has not been for <see cref="IntakeOptions.ConsumerGrace"/>.
/// Not consumed: the broker counts no consumer, or commands wait in the queue while the agent has free slots and took
/// no delivery since the last check (a quorum queue went on counting the consumer of a channel on a killed node).
/// Seen on a three-node cluster under load: after the queue's leader was killed, MassTransit reconnected and went on
/// calling the bus healthy while no one took the queue's commands. What the checks found is part of /health/ready
/// (<see cref="Problem"/>).
/// </summary>
public sealed class CommandConsumerWatchdog(
    CommandIntake intake,
    IOptions<RabbitMqOptions> broker,
    IOptions<IntakeOptions> options,
    IOptions<StopOptions> stops,
    TimeProvider time,
    ILogger<CommandConsumerWatchdog> logger) : BackgroundService
{
    /// <summary>How long the new endpoint gets to consume before the checks go on.</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(60);

    private DateTimeOffset? unconsumedSince;
    private Sample? previous;

    /// <summary>Why the command queue is not consumed, from the check that found it so past the grace until one finds it consumed.</summary>
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

            // Agents started together (a fleet after a broker restart, the bench's hundred in one process) would otherwise all
            // open their check's connection in the same instant, every interval.
            await Task.Delay(interval * Random.Shared.NextDouble(), time, stoppingToken).ConfigureAwait(false);
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
        if (await SampleAsync(probe, cancellationToken).ConfigureAwait(false) is not { } sample)
        {
            // No broker to ask: MassTransit's bus check says so. The grace starts again with the next answer, so that what is
            // seen once after an outage (a quorum queue electing its leader) is not taken for a whole grace unconsumed.
            unconsumedSince = null;
            previous = null;
            return;
        }

        var why = Unconsumed(sample, previous);
        previous = sample;
        if (why is null)
        {
            Consumed();
            return;
        }

        unconsumedSince ??= sample.At;
        var unconsumedFor = sample.At - unconsumedSince.Value;
        if (unconsumedFor < options.Value.ConsumerGrace)
        {
            // MassTransit reconnecting takes a few seconds, and that is no problem yet.
            return;
        }

        // Not ready until a check finds the queue consumed again.
        Problem = $"command queue {intake.Queue} not consumed for {unconsumedFor.TotalSeconds:0} s: {why}";
        logger.LogWarning("Command queue {Queue} has not been consumed for {Seconds:0} s ({Why}) while the bus counts it consumed; connecting its endpoint again",
            intake.Queue, unconsumedFor.TotalSeconds, why);
        await intake.ReconnectAsync(cancellationToken).ConfigureAwait(false);
        Reconnects++;
        NodeTelemetry.CommandEndpointReconnects.Add(1);
        unconsumedSince = null;
        previous = null;
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
        // Only the broker's consumer count can say so now; deliveries need the next check.
        if (await SampleAsync(probe, cancellationToken).ConfigureAwait(false) is { Consumers: > 0 } again && (again.Ready == 0 || intake.Deliveries > sample.Deliveries))
        {
            Consumed();
        }
    }

    /// <summary>Why <paramref name="now"/> says the queue is not consumed; null when it is, as far as can be told.</summary>
    private string? Unconsumed(Sample now, Sample? before)
    {
        if (now.Consumers == 0)
        {
            return "the broker counts no consumer";
        }

        // With a slot free, a consumer is sent what waits at once (its prefetch matches the slots): commands that wait across
        // two checks with no delivery between them are not being consumed, whatever the broker counts. A slot held by a
        // delivery of a closed channel counts as free: in a stalled storm all 32 were held so, by stops whose outcome
        // publishes never returned after the broker node went, and MassTransit took nothing more.
        var concurrency = stops.Value.Concurrency;
        if (before is { } b && b.Ready > 0 && now.Ready > 0 && now.Deliveries == b.Deliveries && b.InFlight < concurrency && now.InFlight < concurrency)
        {
            return $"{now.Ready} commands ready and none delivered since the last check with {concurrency - now.InFlight} slots free " +
                   $"(the broker counts {now.Consumers} consumer(s); {intake.DeliveriesHeldOnClosedChannels} deliveries held on closed channels)";
        }

        return null;
    }

    private void Consumed()
    {
        if (Problem is not null)
        {
            logger.LogInformation("Command queue {Queue} is consumed again", intake.Queue);
        }

        unconsumedSince = null;
        Problem = null;
    }

    /// <summary>The broker's counts and the agent's own, or null when the broker cannot be asked now.</summary>
    private async Task<Sample?> SampleAsync(CommandQueueProbe probe, CancellationToken cancellationToken)
    {
        // Read before the broker is asked: a delivery between the two counts for this sample, not against it.
        var deliveries = intake.Deliveries;
        var inFlight = intake.DeliveriesHeld;
        try
        {
            var (consumers, ready) = await probe.CountAsync(intake.Queue, cancellationToken).ConfigureAwait(false);
            return new Sample(time.GetUtcNow(), consumers, ready, deliveries, inFlight);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or OperationCanceledException or IOException
                                      && !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Could not ask the broker about command queue {Queue}", intake.Queue);
            return null;
        }
    }

    private sealed record Sample(DateTimeOffset At, uint Consumers, uint Ready, long Deliveries, int InFlight);
}
