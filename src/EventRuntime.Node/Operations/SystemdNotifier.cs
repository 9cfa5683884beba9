using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventRuntime.Node.Operations;

/// <summary>
/// Speaks systemd's notify protocol when the agent runs as a Type=notify service (NOTIFY_SOCKET set):
/// READY=1 once the host has started, WATCHDOG=1 every half WatchdogSec while the agent is ready
/// (a hung or disconnected agent is restarted by systemd), STOPPING=1 on shutdown.
/// </summary>
public sealed class SystemdNotifier(HealthCheckService health, IHostApplicationLifetime lifetime, ILogger<SystemdNotifier> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is not { Length: > 0 } socketPath)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        // An abstract socket is announced with a leading '@'; its real name starts with a NUL byte.
        var endpoint = new UnixDomainSocketEndPoint(socketPath.StartsWith('@') ? "\0" + socketPath[1..] : socketPath);
        using var stopping = lifetime.ApplicationStopping.Register(() => Send(socket, endpoint, "STOPPING=1"));

        await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
        Send(socket, endpoint, "READY=1\nSTATUS=consuming commands");

        var interval = WatchdogInterval();
        if (interval is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval.Value);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var report = await health.CheckHealthAsync(c => c.Tags.Contains(NodeHealthChecks.Ready), stoppingToken).ConfigureAwait(false);
            var failing = report.Entries.Where(c => c.Value.Status != HealthStatus.Healthy).Select(c => (Name: c.Key, c.Value.Description)).ToList();
            if (failing.Count == 0)
            {
                Send(socket, endpoint, "WATCHDOG=1");
            }
            else
            {
                Send(socket, endpoint, $"STATUS=not ready: {string.Join("; ", failing.Select(c => $"{c.Name}: {c.Description}"))}");
            }
        }
    }

    private Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    private static TimeSpan? WatchdogInterval() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var microseconds) && microseconds > 0
            ? TimeSpan.FromTicks(microseconds * 10 / 2)
            : null;

    private void Send(Socket socket, UnixDomainSocketEndPoint endpoint, string message)
    {
        try
        {
            socket.SendTo(Encoding.UTF8.GetBytes(message), endpoint);
        }
        catch (SocketException e)
        {
            logger.LogWarning("Could not notify systemd ({Message}): {Error}", message.Split('\n')[0], e.Message);
        }
    }
}
