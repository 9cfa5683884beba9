using System.Net.Sockets;
using System.Security.Authentication;
using EventRuntime.Broker.Tls;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EventRuntime.Client;

/// <summary>
/// Opens and closes one plain AMQP connection before the bus starts. MassTransit retries a failing
/// connection for ever and keeps the cause in its logs; this gets the cause (refused, wrong password,
/// no such virtual host) as one sentence, and fails within the connect timeout.
/// </summary>
internal static class BrokerProbe
{
    /// <summary>
    /// Checks the nodes of a cluster in turn until one takes the connection, each within <paramref name="timeout"/>:
    /// the client works as long as any node does; returns the index of the node that took it. When none does, the error
    /// names each node's cause.
    /// </summary>
    public static async Task<int> CheckAnyAsync(IReadOnlyList<Uri> urls, BrokerTls? tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var failures = new List<BrokerUnavailableException>();
        foreach (var (url, index) in urls.Select((url, index) => (url, index)))
        {
            try
            {
                await CheckAsync(url, tls, timeout, cancellationToken).ConfigureAwait(false);
                return index;
            }
            catch (BrokerUnavailableException e)
            {
                failures.Add(e);
            }
        }

        throw failures.Count == 1 ? failures[0] : new BrokerUnavailableException(string.Join("; ", failures.Select(f => f.Message)), new AggregateException(failures));
    }

    /// <summary>
    /// A plain RabbitMQ.Client connection of one use to <paramref name="url"/>: bounded by <paramref name="timeout"/>, never
    /// recovered behind the caller's back (the caller decides what a lost one means), with the client's TLS.
    /// </summary>
    public static ConnectionFactory OneShotFactory(Uri url, BrokerTls? tls, TimeSpan timeout, string name)
    {
        var factory = new ConnectionFactory
        {
            Uri = url,
            RequestedConnectionTimeout = timeout,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = name,
        };
        tls?.Apply(factory.Ssl);
        return factory;
    }

    public static async Task CheckAsync(Uri url, BrokerTls? tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await using var connection = await ConnectAsync(url, tls, timeout, "eventruntime-client-probe", cancellationToken).ConfigureAwait(false);
        try
        {
            // A broker that refuses the virtual host may let the connection open and close it a moment later: a
            // channel's round trip waits for that verdict, which a bare close could beat (ert nodes then waited
            // for a bus that never started instead of exiting 3, 2026-12-01).
            await using (await connection.CreateChannelAsync(cancellationToken: deadline.Token).ConfigureAwait(false))
            {
            }

            await connection.CloseAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Unavailable(url, tls, timeout, e, cancellationToken) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>
    /// Opens a <see cref="OneShotFactory"/> connection within <paramref name="timeout"/>; a failure is a
    /// <see cref="BrokerUnavailableException"/> that says why in one sentence.
    /// </summary>
    public static async Task<IConnection> ConnectAsync(Uri url, BrokerTls? tls, TimeSpan timeout, string name, CancellationToken cancellationToken)
    {
        var factory = OneShotFactory(url, tls, timeout, name);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await factory.CreateConnectionAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Unavailable(url, tls, timeout, e, cancellationToken) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>
    /// Closes <paramref name="connection"/> after setting up <paramref name="what"/> on it failed, and says why in one sentence;
    /// null for the caller's own cancellation (rethrown as it is). A broker that refuses the virtual host lets the
    /// connection open and closes it a moment later: that is a failure to connect.
    /// </summary>
    public static async Task<BrokerUnavailableException?> SetupFailedAsync(
        IConnection connection, string what, EventRuntimeClientOptions options, Exception error, CancellationToken cancellationToken)
    {
        var failed = connection.IsOpen ? $"cannot set up {what} on" : "cannot connect to";
        await connection.DisposeAsync().ConfigureAwait(false);
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return new BrokerUnavailableException(
            $"{failed} RabbitMQ at {BrokerAddress.Describe(options.RabbitMqUrl)}: " +
            (error is OperationCanceledException ? $"no answer within {options.TopologyTimeout.TotalSeconds:0.#} s" : Explain(error)), error);
    }

    /// <summary>What a failure to connect or to close means, in one sentence; null for the caller's own cancellation.</summary>
    private static BrokerUnavailableException? Unavailable(Uri url, BrokerTls? tls, TimeSpan timeout, Exception error, CancellationToken cancellationToken)
    {
        if (error is OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested
                ? null
                : new BrokerUnavailableException($"cannot connect to RabbitMQ at {BrokerAddress.Describe(url)}: no answer within {timeout.TotalSeconds:0.#} s");
        }

        var cause = tls is null ? Explain(error) : ExplainTls(error, tls);
        return new BrokerUnavailableException($"cannot connect to RabbitMQ at {BrokerAddress.Describe(url)}: {cause}", error);
    }

    /// <summary>
    /// Why a TLS connection failed. A certificate we rejected surfaces as a bare AuthenticationException (the policy
    /// knows why); a broker that refuses our side ends the session after the handshake (TLS 1.3), which surfaces as an
    /// I/O error on the first write with an OpenSSL error number only.
    /// </summary>
    internal static string ExplainTls(Exception error, BrokerTls tls)
    {
        if (tls.Policy.LastRejection is { } rejection)
        {
            return "TLS: " + rejection;
        }

        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException)
            {
                // Refused, unreachable: nothing to do with TLS.
                return Explain(error);
            }

            if (e is IOException or AuthenticationException)
            {
                var hint = tls.ClientCertificate is null
                    ? "no client certificate is configured, and a broker that verifies its peers requires one"
                    : $"the broker may not accept the client certificate {tls.ClientCertificate.Subject}";
                return $"TLS: the broker ended the session ({Explain(e)}); {hint}";
            }
        }

        return Explain(error);
    }

    /// <summary>The most telling cause in the chain, in a few words.</summary>
    internal static string Explain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationFailureException:
                    return "login refused (wrong user name or password)";
                case SocketException socket:
                    return socket.Message;
                case OperationInterruptedException { ShutdownReason: { } reason }:
                    return reason.ReplyText;
            }
        }

        var innermost = error;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message;
    }
}
