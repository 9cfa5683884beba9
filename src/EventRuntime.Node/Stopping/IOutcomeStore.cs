namespace EventRuntime.Node.Stopping;

/// <summary>Where a command's instance is written once it has its outcome, before that outcome is published.</summary>
public interface IOutcomeStore
{
    /// <summary>Null when the instance was written; otherwise why it could not be (a full or failing disk).</summary>
    Task<string?> TryWriteAsync(StopContainerState instance, CancellationToken cancellationToken);
}
