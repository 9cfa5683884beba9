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
}
