using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using EventRuntime.Contracts;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// <see cref="IEventRuntimeClient"/> on a bus of its own, or for stops on one plain connection
/// (<see cref="EventRuntimeClientOptions.Transport"/>). Connects on the first call (or <see cref="ConnectAsync"/>);
/// dispose it to close the connection and end every subscription.
/// </summary>
public sealed class EventRuntimeClient(EventRuntimeClientOptions options) : IEventRuntimeClient, IAsyncDisposable
{
    private readonly PendingOutcomes pending = new();
    private readonly OutcomeBroadcaster broadcaster = new();
    private readonly DeliveredOutcomes delivered = new();
    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly byte[]? commandKey = CommandKeyOf(options);
    private IStopConnection? stops;
    private IBusControl? bus;
    private IFleetAsking? directFleet;
    private IReadOnlyList<Uri> brokerUrls = [];
    private BrokerTls? brokerTls;
    private bool disposed;

    /// <summary>Second copies of an outcome that this client received and dropped (delivery is at least once; see docs/reliability.md).</summary>
    public long DuplicateOutcomesDropped => delivered.Duplicates;

    /// <summary>Commands whose send was not confirmed within <see cref="EventRuntimeClientOptions.ResendAfter"/> and went out again on a fresh channel.</summary>
    public long CommandsResent => stops?.Resends ?? 0;

    /// <summary>How long connecting took, once connected; null before.</summary>
    public ConnectionTimings? Timings { get; private set; }

    /// <inheritdoc />
    public async Task ConnectAsync(CancellationToken cancellationToken = default) => await StopsAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<Guid> SendStopAsync(string node, string containerId, TimeSpan timeout, StopCommandOptions? options = null, CancellationToken cancellationToken = default)
    {
        var command = CommandOf(node, containerId, timeout, options, options?.CommandId ?? Guid.NewGuid(), options?.ExpiresAt);
        await SendAsync(command, cancellationToken).ConfigureAwait(false);
        return command.CommandId;
    }

    /// <inheritdoc />
    public Task<StopOutcome> StopAsync(string node, string containerId, TimeSpan timeout, StopCommandOptions? options = null, CancellationToken cancellationToken = default) =>
        StopOneAsync(new StopRequest(node, containerId, timeout, options), options?.CommandId ?? Guid.NewGuid(), () => { }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StopResult>> StopManyAsync(IReadOnlyList<StopRequest> requests, StopBatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return StopBatch.RunAsync(requests, options ?? new StopBatchOptions(), StopOneAsync, cancellationToken);
    }

    /// <inheritdoc />
    public OutcomeSubscription Subscribe(OutcomeFilter? filter = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return broadcaster.Subscribe(filter ?? OutcomeFilter.All);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<OutcomeEvent> ReadOutcomesAsync(OutcomeFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = Subscribe(filter);
        await StopsAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var outcome in subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return outcome;
        }
    }

    /// <inheritdoc />
    public async Task<CommandStatus> GetStatusAsync(string node, Guid commandId, TimeSpan within, CancellationToken cancellationToken = default)
    {
        var connected = await BusAsync(cancellationToken).ConfigureAwait(false);
        return await StatusQuery.AskAsync(connected, options.QueuePrefix, node, commandId, within, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NodeHeartbeat>> ListNodesAsync(TimeSpan listenFor, CancellationToken cancellationToken = default)
    {
        var connected = await BusAsync(cancellationToken).ConfigureAwait(false);
        return await NodeListener.ListenAsync(connected, options.QueuePrefix, listenFor, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FleetPresence> PingNodesAsync(FleetQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new FleetQuery();
        FleetQuestions.Check(query);
        return await FleetQuestions.PingAsync(await FleetAsync(cancellationToken).ConfigureAwait(false), query, ReadRosterAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FleetInventory> ListContainersAsync(FleetQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new FleetQuery();
        FleetQuestions.Check(query);
        return await FleetQuestions.ListAsync(await FleetAsync(cancellationToken).ConfigureAwait(false), query, ReadRosterAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FleetStopReport> StopFleetAsync(FleetStopRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inventory = await ListContainersAsync(request.Targets, cancellationToken).ConfigureAwait(false);
        var targets = inventory.Containers
            .Where(container => !container.IsStopped)
            // The instance the inventory saw: a container deleted and created again meanwhile is left alone.
            .Select(container => new StopRequest(container.Node, container.Container.Id, request.Timeout,
                (request.Options ?? new StopCommandOptions()) with { InstanceId = container.Container.InstanceId, CommandId = null }))
            .ToList();
        var concurrency = Math.Max(1, request.MaxConcurrency.Of(targets.Count, roundUp: true));
        var maxErrors = request.MaxErrors?.Of(targets.Count, roundUp: false);
        request.OnTargets?.Invoke(targets);
        var results = await FleetStop.RunAsync(targets, concurrency, maxErrors, request.OnProgress, StopOneAsync, cancellationToken).ConfigureAwait(false);
        return new FleetStopReport
        {
            Results = results,
            SilentNodes = inventory.Silent,
            SilentLastHeard = inventory.LastHeard,
            NodeErrors = inventory.Errors,
            MaxConcurrency = concurrency,
            MaxErrors = maxErrors,
        };
    }

    /// <summary>Fails every pending wait, ends every subscription and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        pending.FailAll(new ObjectDisposedException(nameof(EventRuntimeClient), "the client was disposed while waiting for an outcome"));
        broadcaster.CompleteAll();
        if (stops is not null)
        {
            await stops.DisposeAsync().ConfigureAwait(false);
        }

        if (bus is not null && stops is not BusStopConnection)
        {
            await ClientBus.StopQuietlyAsync(bus).ConfigureAwait(false);
        }

        // connecting is not disposed: a call still waiting on it must fail with ObjectDisposedException of the client, not of
        // the semaphore (SemaphoreSlim holds nothing to free unless its wait handle was asked for).
    }

    private async Task<StopOutcome> StopOneAsync(StopRequest request, Guid commandId, Action onSent, CancellationToken cancellationToken)
    {
        var wait = request.Options?.OutcomeWait ?? request.Timeout + options.OutcomeWaitMargin;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, "OutcomeWait");
        var command = CommandOf(request.Node, request.ContainerId, request.Timeout, request.Options, commandId,
            request.Options?.ExpiresAt ?? DateTimeOffset.UtcNow + wait);
        await StopsAsync(cancellationToken).ConfigureAwait(false);
        var outcome = pending.Expect(commandId);
        try
        {
            var clock = Stopwatch.StartNew();
            await SendAsync(command, cancellationToken).ConfigureAwait(false);
            onSent();
            var answer = await outcome.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            return new StopOutcome(answer, clock.Elapsed);
        }
        catch (TimeoutException)
        {
            throw new StopOutcomeTimeoutException(commandId, request.Node, request.ContainerId, wait);
        }
        finally
        {
            pending.Forget(commandId);
        }
    }

    private async Task SendAsync(StopContainer command, CancellationToken cancellationToken)
    {
        var connected = await StopsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Signed at the last moment: a stop that waited for a batch slot must not start its replay window early.
            var outgoing = commandKey is null ? command : CommandSignature.Sign(command, commandKey, DateTimeOffset.UtcNow);
            await connected.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
        }
        catch (MessageReturnedException e)
        {
            throw new InvalidOperationException(
                $"failed to send the stop of container {command.ContainerId} to node {command.Node}: the broker has no command queue for node {command.Node} "
                + "(a node's queue exists once its agent has started, or once provisioned with infra/rabbitmq/add-node.sh)", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"failed to send the stop of container {command.ContainerId} to node {command.Node}: {e.Message}", e);
        }
    }

    private Task<IStopConnection> StopsAsync(CancellationToken cancellationToken) =>
        ConnectOnceAsync(() => stops, async tls =>
        {
            stops = options.Transport == ClientTransport.Direct
                ? await DirectConnection.OpenAsync(options, tls, OnOutcome, OnConnectionLost, cancellationToken).ConfigureAwait(false)
                : await StartBusAsync(tls, cancellationToken).ConfigureAwait(false);
            Timings = stops.Timings;
            return stops;
        }, cancellationToken);

    /// <summary>
    /// Fleet questions go over the bus, or with the direct transport over a connection of each question's own: a one-shot
    /// <c>ert ps</c> would otherwise build and start a bus for its one question.
    /// </summary>
    private async Task<IFleetAsking> FleetAsync(CancellationToken cancellationToken)
    {
        if (options.Transport == ClientTransport.Bus)
        {
            return new BusFleetAsking(await BusAsync(cancellationToken).ConfigureAwait(false), options.QueuePrefix);
        }

        return await ConnectOnceAsync(() => directFleet, tls =>
        {
            // The roster reader connects where the questions do (the direct transport knows one broker node).
            brokerUrls = [options.RabbitMqUrl];
            return Task.FromResult<IFleetAsking>(directFleet = new DirectFleetAsking(options, tls));
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IBusControl> BusAsync(CancellationToken cancellationToken)
    {
        if (options.Transport == ClientTransport.Bus)
        {
            return ((BusStopConnection)await StopsAsync(cancellationToken).ConfigureAwait(false)).Bus;
        }

        // Beside a direct connection, the bus answers the questions only; an outcome both receive counts once (OnOutcome).
        return await ConnectOnceAsync(() => bus, async tls => (await StartBusAsync(tls, cancellationToken).ConfigureAwait(false)).Bus, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// What <paramref name="current"/> holds, or, the first time, what <paramref name="open"/> opens: one caller at a time,
    /// with the options checked first and the broker's TLS settings read once for every connection the client opens.
    /// </summary>
    private async Task<T> ConnectOnceAsync<T>(Func<T?> current, Func<BrokerTls?, Task<T>> open, CancellationToken cancellationToken)
        where T : class
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (current() is { } ready)
        {
            return ready;
        }

        CheckOptions();
        await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Disposed while this waited its turn: nothing may connect after DisposeAsync.
            ObjectDisposedException.ThrowIf(disposed, this);
            // Read once: the probe, the bus and the roster reader present the same certificate and share one verdict on the broker's.
            brokerTls ??= BrokerTls.For(options.RabbitMqUrl, options.Tls);
            return current() ?? await open(brokerTls).ConfigureAwait(false);
        }
        finally
        {
            connecting.Release();
        }
    }

    private async Task<BusStopConnection> StartBusAsync(BrokerTls? tls, CancellationToken cancellationToken)
    {
        var cluster = BrokerNodes.Parse(options.ClusterNodes, $"{EventRuntimeClientOptions.Section}:ClusterNodes");
        var (started, timings) = await ClientBus.StartAsync(options, cluster, tls, OnOutcome, cancellationToken).ConfigureAwait(false);
        // The roster reader (fleet questions) connects where the bus does.
        brokerUrls = cluster?.UrlsFor(options.RabbitMqUrl) ?? [options.RabbitMqUrl];
        bus = started;
        return new BusStopConnection(started, new CommandSender(options, cluster, tls), timings);
    }

    private void CheckOptions()
    {
        var problem = BrokerAddress.Problem(options.RabbitMqUrl);
        if (problem is not null)
        {
            throw new ArgumentException($"RabbitMQ URL {BrokerAddress.Describe(options.RabbitMqUrl)} cannot be used: {problem}");
        }

        if (ClientServiceCollectionExtensions.TlsProblem(options) is { } tlsProblem)
        {
            throw new ArgumentException(tlsProblem);
        }

        if (BrokerNodes.Problem(options.ClusterNodes, $"{EventRuntimeClientOptions.Section}:ClusterNodes") is { } nodesProblem)
        {
            throw new ArgumentException(nodesProblem);
        }

        if (options.Transport == ClientTransport.Direct && (!string.IsNullOrWhiteSpace(options.ClusterNodes) || options.QueueType == BrokerQueueType.Quorum))
        {
            throw new ArgumentException(
                $"{EventRuntimeClientOptions.Section}:Transport Direct has no failover between broker nodes: use Bus with ClusterNodes or quorum queues");
        }
    }

    private void OnConnectionLost(Exception reason) => pending.FailAll(reason);

    private Task<Roster?> ReadRosterAsync(TimeSpan window, CancellationToken cancellationToken) =>
        window <= TimeSpan.Zero
            ? Task.FromResult<Roster?>(null)
            : RosterReader.ReadAsync(brokerUrls, brokerTls, window, options.RequireNodePublisher, options.ConnectTimeout, cancellationToken);

    private void OnOutcome(OutcomeEvent outcome)
    {
        if (options.RequireNodePublisher && outcome.PublishedBy != "node-" + outcome.Node)
        {
            return;
        }

        // Checked after the publisher: a forged copy must not use up the id before the real outcome arrives.
        if (!delivered.FirstTime(outcome.CommandId))
        {
            return;
        }

        pending.Complete(outcome);
        broadcaster.Publish(outcome);
    }

    private static byte[]? CommandKeyOf(EventRuntimeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.CommandKeyFile) && !string.IsNullOrEmpty(options.CommandKey))
        {
            throw new ArgumentException("CommandKeyFile and CommandKey are both set; set one");
        }

        return Contracts.CommandKey.FromSetting(options.CommandKeyFile, options.CommandKey);
    }

    private static StopContainer CommandOf(string node, string containerId, TimeSpan timeout, StopCommandOptions? options, Guid commandId, DateTimeOffset? expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return new StopContainer
        {
            CommandId = commandId,
            Node = node,
            ContainerId = containerId,
            // The wire carries whole seconds; rounding up never shortens the grace period asked for.
            TimeoutSeconds = (int)Math.Ceiling(timeout.TotalSeconds),
            ResumePaused = options?.ResumePaused ?? false,
            // To the millisecond, as it is signed.
            ExpiresAt = expiresAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()) : null,
            InstanceId = options?.InstanceId,
            DrainSeconds = options?.DrainSeconds,
        };
    }
}
