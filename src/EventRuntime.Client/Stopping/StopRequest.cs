namespace EventRuntime.Client;

/// <summary>One stop in a <see cref="IEventRuntimeClient.StopManyAsync"/> batch.</summary>
/// <param name="Node">The node whose agent must stop the container.</param>
/// <param name="ContainerId">The container on that node.</param>
/// <param name="Timeout">Grace period between the stop signal and SIGKILL.</param>
/// <param name="Options">Resume-paused, a chosen command id, how long to wait.</param>
public sealed record StopRequest(string Node, string ContainerId, TimeSpan Timeout, StopCommandOptions? Options = null);
