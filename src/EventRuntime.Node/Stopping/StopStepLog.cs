using System.Diagnostics;
using EventRuntime.Node.Kernel;
using Microsoft.Extensions.Logging;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// One structured log event per step of a stop: step, container, duration and outcome (the node and
/// command id come from the log scope of the request). Operators read a stop in Seq as a list of steps.
/// </summary>
internal sealed class StopStepLog(ILogger logger)
{
    public async Task<T> TimeAsync<T>(string step, string containerId, Func<Task<T>> work)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await work().ConfigureAwait(false);
            Log(step, containerId, started, "ok", null);
            return result;
        }
        catch (Exception e)
        {
            Log(step, containerId, started, "failed", e);
            throw;
        }
    }

    public Task TimeAsync(string step, string containerId, Func<Task> work) =>
        TimeAsync(step, containerId, async () =>
        {
            await work().ConfigureAwait(false);
            return true;
        });

    public T Time<T>(string step, string containerId, Func<T> work) =>
        TimeAsync(step, containerId, () => Task.FromResult(work())).GetAwaiter().GetResult();

    public void Time(string step, string containerId, Action work) =>
        Time(step, containerId, () =>
        {
            work();
            return true;
        });

    private void Log(string step, string containerId, long started, string outcome, Exception? error)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var milliseconds = elapsed.TotalMilliseconds;
        NodeTelemetry.StopStepDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", outcome));
        if (error is null)
        {
            logger.LogInformation("Stop step {Step} of container {ContainerId}: {StepOutcome} in {DurationMs:0.0} ms", step, containerId, outcome, milliseconds);
        }
        else
        {
            logger.LogWarning("Stop step {Step} of container {ContainerId}: {StepOutcome} in {DurationMs:0.0} ms: {Error}", step, containerId, outcome, milliseconds, error.Message);
        }
    }
}
