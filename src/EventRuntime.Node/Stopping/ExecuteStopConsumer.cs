using System.Diagnostics;
using EventRuntime.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Runs the slow part of a stop outside the saga's lock and answers with a typed response. The saga's
/// request has no timeout (this broker has no scheduler), so every deadline is enforced in here.
/// </summary>
public sealed class ExecuteStopConsumer(StopCoordinator coordinator, IOptions<StopOptions> options, ILogger<ExecuteStopConsumer> logger)
    : IConsumer<ExecuteStop>
{
    public async Task Consume(ConsumeContext<ExecuteStop> context)
    {
        var request = context.Message;
        var grace = TimeSpan.FromSeconds(Math.Clamp(request.TimeoutSeconds, 0, options.Value.MaxTimeoutSeconds));
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await coordinator.StopAsync(request.ContainerId, grace, request.ResumePaused, context.CancellationToken);
            logger.LogInformation("Stopped container {ContainerId} for command {CommandId} in {DurationMs} ms",
                request.ContainerId, request.CommandId, clock.ElapsedMilliseconds);
            await context.RespondAsync(new StopExecuted { CorrelationId = request.CorrelationId, ExitCode = result.ExitCode, StoppedAt = result.StoppedAt });
        }
        catch (StopFailure failure)
        {
            logger.LogWarning("Stop of container {ContainerId} for command {CommandId} failed after {DurationMs} ms: {Code} {Reason}",
                request.ContainerId, request.CommandId, clock.ElapsedMilliseconds, failure.Code, failure.Message);
            await context.RespondAsync(FailureOf(request, failure.Code, failure.Message, failure.Causes));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unexpected, but the command still gets its one outcome instead of a silent fault.
            logger.LogError(e, "Stop of container {ContainerId} for command {CommandId} failed unexpectedly", request.ContainerId, request.CommandId);
            var reason = $"failed to stop container {request.ContainerId}: {e.Message}";
            await context.RespondAsync(FailureOf(request, StopFailureCode.Internal, reason, [reason, e.Message]));
        }
    }

    private static StopExecutionFailed FailureOf(ExecuteStop request, string code, string reason, IReadOnlyList<string> causes) => new()
    {
        CorrelationId = request.CorrelationId,
        Code = code,
        Reason = reason,
        Causes = causes,
        FailedAt = DateTimeOffset.UtcNow,
    };
}
