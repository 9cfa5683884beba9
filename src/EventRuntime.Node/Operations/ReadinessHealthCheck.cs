using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventRuntime.Node.Operations;

/// <summary>One check of <see cref="ReadinessChecks"/> as an ASP.NET Core health check; the check itself stays there.</summary>
public sealed class ReadinessHealthCheck(Func<CancellationToken, Task<CheckResult>> check) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await check(cancellationToken).ConfigureAwait(false);
        return result.Healthy ? HealthCheckResult.Healthy(result.Description) : new HealthCheckResult(context.Registration.FailureStatus, result.Description);
    }
}
