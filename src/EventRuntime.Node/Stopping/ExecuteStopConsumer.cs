using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Operations;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Runs the slow part of a stop outside the saga's lock and answers with a typed response. The saga's
/// request has no timeout (this broker has no scheduler), so every deadline is enforced in here.
/// </summary>
public sealed class ExecuteStopConsumer(
    StopCoordinator coordinator, IOptions<StopOptions> options, IOptions<NodeOptions> node, ILogger<ExecuteStopConsumer> logger)
    : IConsumer<ExecuteStop>
{
    public async Task Consume(ConsumeContext<ExecuteStop> context)
    {
        var request = context.Message;
        var grace = GracePeriod.Of(request.TimeoutSeconds, options.Value.MaxTimeoutSeconds);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CommandId"] = request.CommandId, ["ContainerId"] = request.ContainerId });
        if (grace.Clamped)
        {
            logger.LogWarning("Command {CommandId} asked for a grace period of {RequestedSeconds} s for container {ContainerId}; clamped to Stop:MaxTimeoutSeconds, {GraceSeconds} s",
                request.CommandId, grace.RequestedSeconds, request.ContainerId, grace.Period.TotalSeconds);
        }

        using var activity = NodeTelemetry.Source.StartActivity($"stop {request.ContainerId}");
        activity?.SetTag("eventruntime.container.id", request.ContainerId);
        activity?.SetTag("eventruntime.command.id", request.CommandId.ToString());
        activity?.SetTag("eventruntime.stop.grace_seconds", grace.Period.TotalSeconds);
        activity?.SetTag("eventruntime.stop.grace_clamped", grace.Clamped);
        var clock = Stopwatch.StartNew();
        NodeTelemetry.StopsInFlight.Add(1);
        try
        {
            var result = await coordinator.StopAsync(request.ContainerId, grace.Period, request.ResumePaused, context.CancellationToken);
            logger.LogInformation("Stopped container {ContainerId} for command {CommandId} in {DurationMs} ms: {Outcome}",
                request.ContainerId, request.CommandId, clock.ElapsedMilliseconds, "stopped");
            Record(clock, "stopped", "");
            await AnswerAsync(context, new StopExecuted { CorrelationId = request.CorrelationId, ExitCode = result.ExitCode, StoppedAt = result.StoppedAt });
        }
        catch (StopFailure failure)
        {
            logger.LogWarning("Stop of container {ContainerId} for command {CommandId} failed after {DurationMs} ms: {Outcome} {Code} {Reason}",
                request.ContainerId, request.CommandId, clock.ElapsedMilliseconds, "failed", failure.Code, failure.Message);
            Record(clock, "failed", failure.Code);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            await AnswerAsync(context, FailureOf(request, failure.Code, failure.Message, failure.Causes));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unexpected, but the command still gets its one outcome instead of a silent fault.
            logger.LogError(e, "Stop of container {ContainerId} for command {CommandId} failed unexpectedly", request.ContainerId, request.CommandId);
            Record(clock, "failed", StopFailureCode.Internal);
            var reason = $"failed to stop container {request.ContainerId}: {e.Message}";
            await AnswerAsync(context, FailureOf(request, StopFailureCode.Internal, reason, [reason, e.Message]));
        }
        finally
        {
            NodeTelemetry.StopsInFlight.Add(-1);
        }
    }

    // Answers go to the saga's own queue, not the command queue the request came from (see StopQueue.SagaFor).
    private async Task AnswerAsync<T>(ConsumeContext<ExecuteStop> context, T answer)
        where T : class
    {
        var saga = await context.GetSendEndpoint(StopQueue.SagaAddressFor(node.Value.Name));
        await saga.Send(answer, sent => sent.RequestId = context.RequestId);
    }

    private static void Record(Stopwatch clock, string outcome, string code) =>
        NodeTelemetry.StopDuration.Record(clock.Elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("code", code));

    private static StopExecutionFailed FailureOf(ExecuteStop request, string code, string reason, IReadOnlyList<string> causes) => new()
    {
        CorrelationId = request.CorrelationId,
        Code = code,
        Reason = reason,
        Causes = causes,
        FailedAt = DateTimeOffset.UtcNow,
    };
}
