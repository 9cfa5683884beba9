using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace EventRuntime.Node.Operations;

/// <summary>
/// The one part of systemd's notify protocol the framework leaves out: with WatchdogSec set (WATCHDOG_USEC),
/// WATCHDOG=1 every half interval while every "ready" check passes, so systemd restarts a hung or disconnected
/// agent; otherwise STATUS= names the failing checks. READY=1 and STOPPING=1 are the framework's
/// (<c>AddSystemd()</c>'s SystemdLifetime). Idle when the agent is not a systemd service.
/// </summary>
public sealed class SystemdWatchdog(HealthCheckService health, IHostApplicationLifetime lifetime, ISystemdNotifier? notifier = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (notifier is not { IsEnabled: true } || Interval() is not { } interval)
        {
            return;
        }

        await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var report = await health.CheckHealthAsync(c => c.Tags.Contains(NodeHealthChecks.Ready), stoppingToken).ConfigureAwait(false);
            var failing = report.Entries.Where(c => c.Value.Status != HealthStatus.Healthy).Select(c => $"{c.Key}: {c.Value.Description}").ToList();
            notifier.Notify(new ServiceState(failing.Count == 0 ? "WATCHDOG=1" : $"STATUS=not ready: {string.Join("; ", failing)}"));
        }
    }

    private Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    private static TimeSpan? Interval() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var microseconds) && microseconds > 0
            ? TimeSpan.FromMicroseconds(microseconds / 2.0)
            : null;
}
