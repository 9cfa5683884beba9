using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;
using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// Sends commands through the client's bus and, when a send is not confirmed within <c>ResendAfter</c>, sends the
/// command again on a fresh channel (<see cref="FreshChannelPublisher"/>). MassTransit 8.5.12 retries a publish the
/// broker nacks on the same channel for as long as the caller waits (measured: a nacked send never completed, on the
/// one channel the bus had); a channel that RabbitMQ keeps nacking is never left that way. For 30 s after a resend the
/// next commands go on fresh channels at once, so a bus that does not recover does not cost every command ResendAfter. When the fresh channel fails
/// too (no node answers), the bus tries again, and so on until the caller cancels. A resent command may arrive twice:
/// the agent carries out a command id once, and <see cref="DeliveredOutcomes"/> drops a second outcome. On a cluster, a
/// command returned as unroutable is sent again for up to <c>ResendAfter</c>: while a quorum queue elects a new leader
/// after its leader's node died, the broker returns what is sent to it (measured: a send half a second after the kill).
/// </summary>
internal sealed class CommandSender(EventRuntimeClientOptions options, BrokerNodes? cluster, BrokerTls? tls)
{
    private readonly IReadOnlyList<Uri> urls = cluster?.UrlsFor(options.RabbitMqUrl) ?? [options.RabbitMqUrl];
    private static readonly TimeSpan ReturnedRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SuspectPeriod = TimeSpan.FromSeconds(30);
    private long resends;
    private long busSuspectUntilTicks = DateTime.MinValue.Ticks;

    /// <summary>Commands sent again on a fresh channel so far.</summary>
    public long Resends => Interlocked.Read(ref resends);

    public async Task SendAsync(IBus bus, StopContainer command, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow.Ticks < Volatile.Read(ref busSuspectUntilTicks) && await TryFreshChannelAsync(command, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var returnedSince = (DateTime?)null;
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(options.ResendAfter);
            try
            {
                // WaitAsync as well as the token: after a cluster node was killed, a MassTransit 8.5.12 send was seen to
                // ignore its token and never return (ClusterPublishTests, 2026-12-01); the caller's wait must end anyway.
                await NodeExchange.SendAsync(bus, command.Node, command, attempt.Token).WaitAsync(attempt.Token).ConfigureAwait(false);
                Volatile.Write(ref busSuspectUntilTicks, DateTime.MinValue.Ticks);
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not confirmed in time: nacked again and again on its channel, or no node up.
            }
            catch (MessageReturnedException) when (cluster is not null && DateTime.UtcNow - (returnedSince ??= DateTime.UtcNow) < options.ResendAfter)
            {
                await Task.Delay(ReturnedRetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The bus did not get it through: the sends of the next SuspectPeriod go on fresh channels at once. After a
            // leader's kill the bus was seen never to send again, and each command then waited ResendAfter first
            // (a 100-command storm took 17 min, ClusterFailoverTests 2026-12-01).
            Volatile.Write(ref busSuspectUntilTicks, (DateTime.UtcNow + SuspectPeriod).Ticks);
            if (await TryFreshChannelAsync(command, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            // No fresh channel took it either: back to the bus, which waits for a node to come back.
        }
    }

    private async Task<bool> TryFreshChannelAsync(StopContainer command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref resends);
        try
        {
            await FreshChannelPublisher.PublishAsync(urls, tls, command, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BrokerUnavailableException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
