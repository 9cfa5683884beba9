using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;
using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// The client's own MassTransit bus (not the application's, so it never mixes with a bus the
/// application configures): one temporary queue, deleted when the client goes, bound to both
/// outcome exchanges. On a cluster (<see cref="BrokerQueueType.Quorum"/>) that queue is a quorum queue that
/// expires after the client, since a temporary queue dies with the broker node that holds it, and the outcomes with it.
/// </summary>
internal static class ClientBus
{
    private static IBusControl Create(EventRuntimeClientOptions options, BrokerNodes? cluster, BrokerTls? tls, Action<OutcomeEvent> onOutcome)
    {
        var queue = $"{options.QueuePrefix}-{Guid.NewGuid():N}";
        return MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(options.RabbitMqUrl, host =>
            {
                host.ConnectionName(options.QueuePrefix);
                cluster?.Apply(host);
                tls?.Apply(host);
            });
            cfg.ReceiveEndpoint(queue, e =>
            {
                if (options.QueueType == BrokerQueueType.Quorum)
                {
                    options.QueueType.Apply(e);
                    e.SetQueueArgument("x-expires", (long)options.OutcomeQueueExpiry.TotalMilliseconds);
                }
                else
                {
                    e.AutoDelete = true;
                    e.Durable = false;
                }

                e.Handler<ContainerStopped>(context =>
                {
                    onOutcome(OutcomeEvent.From(context.Message) with { PublishedBy = PublishedBy(context) });
                    return Task.CompletedTask;
                });
                e.Handler<ContainerStopFailed>(context =>
                {
                    onOutcome(OutcomeEvent.From(context.Message) with { PublishedBy = PublishedBy(context) });
                    return Task.CompletedTask;
                });
            });
        });
    }

    private static string? PublishedBy(ConsumeContext context) =>
        context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.UserId : null;

    /// <summary>
    /// Finds a node that takes a connection within the connect timeout (the only one, or the first of the cluster's that
    /// answers), then creates the bus with that node first and starts it within the topology timeout; on failure stops it
    /// again, so it does not retry in the background for ever. On a cluster a failed start is tried again on a new bus from the next node, once per
    /// node: right after a node is killed, a live node was seen to time out the outcome queue's topology (an exchange
    /// declare unanswered for 20 s, or the channel closed under MassTransit; ClusterErtTests, 2026-12-01), a stall
    /// that bare declares a few seconds later did not show.
    /// </summary>
    /// <returns>The started bus; how long the probe's connection took, and the bus's start (its own connection and the outcome queue's topology).</returns>
    public static async Task<(IBusControl Bus, ConnectionTimings Timings)> StartAsync(EventRuntimeClientOptions options, BrokerNodes? cluster, BrokerTls? tls,
        Action<OutcomeEvent> onOutcome, CancellationToken cancellationToken)
    {
        var attempts = cluster?.Nodes.Count ?? 1;
        var from = 0;
        for (var attempt = 1; ; attempt++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var nodes = cluster?.StartingAt(from);
            var answered = await BrokerProbe.CheckAnyAsync(nodes?.UrlsFor(options.RabbitMqUrl) ?? [options.RabbitMqUrl], tls, options.ConnectTimeout, cancellationToken)
                .ConfigureAwait(false);
            var probed = clock.Elapsed;
            try
            {
                var (bus, started) = await StartOnAsync(options, nodes?.StartingAt(answered), tls, onOutcome, cancellationToken).ConfigureAwait(false);
                return (bus, new ConnectionTimings(probed, started));
            }
            catch (BrokerUnavailableException) when (attempt < attempts && !cancellationToken.IsCancellationRequested)
            {
                from = (from + answered + 1) % attempts;
            }
        }
    }

    /// <returns>The started bus, and how long its start took (its own connection and the outcome queue's topology).</returns>
    private static async Task<(IBusControl Bus, TimeSpan Started)> StartOnAsync(EventRuntimeClientOptions options, BrokerNodes? cluster, BrokerTls? tls,
        Action<OutcomeEvent> onOutcome, CancellationToken cancellationToken)
    {
        var bus = Create(options, cluster, tls, onOutcome);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.TopologyTimeout);
        try
        {
            // WaitAsync as well: a start whose topology failed was seen to stop itself inside StartAsync and wait there for
            // a channel for ever, past the token (dump of a hung ert, ClusterErtTests 2026-12-01).
            await bus.StartAsync(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            return (bus, clock.Elapsed);
        }
        catch (Exception e)
        {
            await StopQuietlyAsync(bus).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            var cause = e is OperationCanceledException ? $"the bus did not start within {options.TopologyTimeout.TotalSeconds:0.#} s" : BrokerProbe.Explain(e);
            throw new BrokerUnavailableException($"cannot connect to RabbitMQ at {BrokerAddress.Describe(options.RabbitMqUrl)}: {cause}", e);
        }
    }

    public static async Task StopQuietlyAsync(IBusControl bus)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            // WaitAsync as well: a bus whose start failed with a cluster node down was seen to ignore the token in its
            // stop and hold ert for minutes (ClusterErtTests, 2026-12-01).
            await bus.StopAsync(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MassTransitException)
        {
            // Stopping is best effort: the process may be on its way out because the broker is gone.
        }
    }
}
