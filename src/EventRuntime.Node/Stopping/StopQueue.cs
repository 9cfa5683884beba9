namespace EventRuntime.Node.Stopping;

/// <summary>The node-internal queue where <see cref="ExecuteStopConsumer"/> takes the slow part of each stop.</summary>
public static class StopQueue
{
    public static string For(string node) => "eventruntime-stop-" + node;
}
