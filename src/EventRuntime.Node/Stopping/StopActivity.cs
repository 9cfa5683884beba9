using System.Diagnostics;
using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// The saga's one side effect: carries out the stop of a valid command inside its consume and records
/// the outcome on the instance (the state machine then publishes it). Every failure becomes an outcome;
/// only the agent's own shutdown escapes, leaving the command unacknowledged for the next start.
/// </summary>
public sealed class StopActivity(StopCoordinator coordinator, InFlightCommands inFlight, IOptions<StopOptions> options, ILogger<StopActivity> logger)
    : IStateMachineActivity<StopContainerState, StopContainer>
{
    public async Task Execute(BehaviorContext<StopContainerState, StopContainer> context, IBehavior<StopContainerState, StopContainer> next)
    {
        await StopAsync(context.Saga, context.CancellationToken).ConfigureAwait(false);
        await next.Execute(context).ConfigureAwait(false);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<StopContainerState, StopContainer, TException> context, IBehavior<StopContainerState, StopContainer> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("stop-container");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);

    private async Task StopAsync(StopContainerState saga, CancellationToken cancellationToken)
    {
        var (commandId, id) = (saga.CommandId, saga.ContainerId);
        var grace = GracePeriod.Of(saga.TimeoutSeconds, options.Value.MaxTimeoutSeconds);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CommandId"] = commandId, ["ContainerId"] = id });
        if (grace.Clamped)
        {
            logger.LogWarning("Command {CommandId} asked for a grace period of {RequestedSeconds} s for container {ContainerId}; clamped to Stop:MaxTimeoutSeconds, {GraceSeconds} s",
                commandId, grace.RequestedSeconds, id, grace.Period.TotalSeconds);
        }

        using var activity = NodeTelemetry.Source.StartActivity($"stop {id}");
        activity?.SetTag("eventruntime.container.id", id);
        activity?.SetTag("eventruntime.command.id", commandId.ToString());
        activity?.SetTag("eventruntime.stop.grace_seconds", grace.Period.TotalSeconds);
        activity?.SetTag("eventruntime.stop.grace_clamped", grace.Clamped);
        var clock = Stopwatch.StartNew();
        inFlight.MarkStopping(commandId);
        NodeTelemetry.StopsInFlight.Add(1);
        try
        {
            var request = new StopRequest(commandId, id, grace.Period, saga.ResumePaused, saga.RequestedInstanceId,
                TimeSpan.FromSeconds(Math.Min(saga.DrainSeconds, grace.Period.TotalSeconds)));
            var result = await coordinator.StopAsync(request, cancellationToken).ConfigureAwait(false);
            saga.InstanceId = result.InstanceId;
            saga.RecordStopped(result.ExitCode, result.StoppedAt);
            logger.LogInformation("Stopped container {ContainerId} for command {CommandId} in {DurationMs} ms: {Outcome}", id, commandId, clock.ElapsedMilliseconds, "stopped");
        }
        catch (StopFailure failure)
        {
            saga.InstanceId = failure.InstanceId;
            saga.RecordFailure(failure.Code, failure.Message, failure.Causes);
            logger.LogWarning("Stop of container {ContainerId} for command {CommandId} failed after {DurationMs} ms: {Outcome} {Code} {Reason}",
                id, commandId, clock.ElapsedMilliseconds, "failed", failure.Code, failure.Message);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Unexpected (a runtime client's own cancellation among them), but the command still gets its one outcome.
            var reason = $"failed to stop container {id}: {e.Message}";
            saga.RecordFailure(StopFailureCode.Internal, reason, [reason, e.Message]);
            logger.LogError(e, "Stop of container {ContainerId} for command {CommandId} failed unexpectedly", id, commandId);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
        }
        finally
        {
            NodeTelemetry.StopsInFlight.Add(-1);
        }

        var (outcome, code) = (new KeyValuePair<string, object?>("outcome", saga.OutcomeCode == "" ? "stopped" : "failed"), new KeyValuePair<string, object?>("code", saga.OutcomeCode));
        NodeTelemetry.StopDuration.Record(clock.Elapsed.TotalSeconds, outcome, code);
        NodeTelemetry.Stops.Add(1, outcome, code);
    }
}
