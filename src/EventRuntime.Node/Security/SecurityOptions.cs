namespace EventRuntime.Node.Security;

/// <summary>Command signing (section "Security"). See docs/configuration.md.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>File holding the command key; when set (or <see cref="CommandKey"/>), every command must be signed with it.</summary>
    public string? CommandKeyFile { get; set; }

    /// <summary>The command key inline. A file is better: environment and command line leak more easily. Masked in logs.</summary>
    public string? CommandKey { get; set; }

    /// <summary>How far a command's signedAt may lie from the node's clock, in the past or the future.</summary>
    public int ReplayWindowSeconds { get; set; } = 300;
}
