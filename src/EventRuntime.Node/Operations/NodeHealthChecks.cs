using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventRuntime.Node.Operations;

/// <summary>
/// The agent's health checks. Every check tagged <see cref="Ready"/> decides /health/ready and the systemd
/// watchdog: MassTransit's bus check (named "bus" in the bus wiring, tagged "ready" by MassTransit itself)
/// and the checks of <see cref="ReadinessChecks"/>. /health/live runs none: the process answering is the answer.
/// </summary>
public static class NodeHealthChecks
{
    public const string Ready = "ready";

    public static IServiceCollection AddNodeHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<ReadinessChecks>();
        services.AddHealthChecks()
            .AddReadinessCheck("runtime", (checks, cancel) => checks.RuntimeAsync(cancel))
            .AddReadinessCheck("state-directory", (checks, _) => Task.FromResult(checks.StateDirectory()))
            .AddReadinessCheck("command-consumer", (checks, _) => Task.FromResult(checks.CommandConsumer()))
            .AddReadinessCheck("saga-database", (checks, cancel) => checks.SagaDatabaseAsync(cancel));
        return services;
    }

    private static IHealthChecksBuilder AddReadinessCheck(
        this IHealthChecksBuilder builder, string name, Func<ReadinessChecks, CancellationToken, Task<CheckResult>> check) =>
        builder.Add(new HealthCheckRegistration(
            name,
            sp =>
            {
                var checks = sp.GetRequiredService<ReadinessChecks>();
                return new ReadinessHealthCheck(cancel => check(checks, cancel));
            },
            failureStatus: HealthStatus.Unhealthy,
            tags: [Ready]));
}
