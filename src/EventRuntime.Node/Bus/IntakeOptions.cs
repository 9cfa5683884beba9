namespace EventRuntime.Node.Bus;

/// <summary>What the node's command queue accepts (section "Intake"). See docs/configuration.md.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>
    /// Largest message body read from the command queue. A StopContainer is a few hundred bytes; anything
    /// far larger is a mistake or an attack, and is moved to the error queue without being parsed.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Messages the command queue and the saga's answer queue each take from the broker at once. Each of
    /// them waits for the broker's confirm of what it sends on, so a small window (MassTransit's default is
    /// twice the core count) caps a node's commands per second at a few hundred, however fast the stops are.
    /// </summary>
    public int PrefetchCount { get; set; } = 64;
}
