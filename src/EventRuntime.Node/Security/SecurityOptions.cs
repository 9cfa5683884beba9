namespace EventRuntime.Node.Security;

/// <summary>Command signing (section "Security"). See docs/configuration.md.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>File holding the command key; when set (or <see cref="CommandKey"/>), every command must be signed with it.</summary>
    public string? CommandKeyFile { get; set; }

    /// <summary>The command key inline. A file is better: environment and command line leak more easily. Masked in logs.</summary>
    public string? CommandKey { get; set; }

    /// <summary>
    /// During a key rotation, the file of the key being replaced: commands signed with it are still accepted until
    /// <see cref="PreviousCommandKeyUntil"/>, so senders can move to the new key one by one.
    /// </summary>
    public string? PreviousCommandKeyFile { get; set; }

    /// <summary>The end of the rotation window (an instant, e.g. 2026-12-01T18:00:00Z); after it only the current key signs.</summary>
    public DateTimeOffset? PreviousCommandKeyUntil { get; set; }

    /// <summary>How far a command's signedAt may lie from the node's clock, in the past or the future.</summary>
    public int ReplayWindowSeconds { get; set; } = 300;
}
