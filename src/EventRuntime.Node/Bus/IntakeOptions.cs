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
    /// How often the agent checks that its command queue is consumed (the broker's counts over a short connection of its
    /// own, and the agent's deliveries); 0 turns the check off. See <see cref="CommandConsumerWatchdog"/>.
    /// </summary>
    public TimeSpan ConsumerCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the queue may be found unconsumed before the agent connects its endpoint again.</summary>
    public TimeSpan ConsumerGrace { get; set; } = TimeSpan.FromSeconds(60);
}
