namespace EventRuntime.Node.Sagas;

/// <summary>The saga database's settings (section "Sagas"). See docs/configuration.md.</summary>
public sealed class SagaStoreOptions
{
    public const string Section = "Sagas";

    /// <summary>How long an answered command is remembered: a repeat within this time gets no second stop or outcome.</summary>
    public TimeSpan CompletedRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the agent waits at start for the database lock before refusing to start.</summary>
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(5);
}
