namespace EventRuntime.Node.Stopping;

/// <summary>Bounds of one stop (section "Stop"). See docs/configuration.md.</summary>
public sealed class StopOptions
{
    public const string Section = "Stop";

    /// <summary>
    /// How long to wait, after the process is gone, for the runtime to report "stopped". Its own deadline,
    /// not the grace period: VM-based runtimes lag the process exit, and a grace period of 0 must not fail them.
    /// </summary>
    public TimeSpan StateWaitDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long SIGKILL is retried while the process lingers (e.g. in uninterruptible sleep) before the stop fails.</summary>
    public TimeSpan KillDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The oldest a command may be when it arrives, counted from its envelope's <c>sentTime</c>: older ones are
    /// answered <c>Expired</c>, untouched. A bus keeps commands while a node is down; one sent 15 minutes ago
    /// is more likely stale than wanted. Commands with their own <c>expiresAt</c> or <c>expirationTime</c> obey that too.
    /// </summary>
    public TimeSpan MaxCommandAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Largest grace period a command may ask for; larger ones are clamped to it.</summary>
    public int MaxTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// Commands this node carries out at the same time (the command queue's prefetch and consumer slots).
    /// A stop holds its slot for its whole grace period, so this is sized for a node's containers, not its
    /// cores: kubelet allows 250 pods per node.
    /// </summary>
    public int Concurrency { get; set; } = 256;

    /// <summary>The longest a command's delivery can stay unacknowledged: the largest grace period, SIGKILL's retries, the wait for "stopped".</summary>
    public TimeSpan LongestStop => TimeSpan.FromSeconds(MaxTimeoutSeconds) + KillDeadline + StateWaitDeadline;
}
