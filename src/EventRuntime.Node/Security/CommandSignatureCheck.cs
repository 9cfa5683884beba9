using EventRuntime.Contracts;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Security;

/// <summary>
/// The node's half of command signing. Without a key every command passes; with one, a command must carry
/// a signature that the key produces over its fields and a signedAt within the replay window of this node's
/// clock. A replay inside the window is left to the saga, which answers a command id once. During a key
/// rotation the previous key signs too, until the end of the rotation window.
/// </summary>
public sealed class CommandSignatureCheck
{
    private readonly byte[]? key;
    private readonly byte[]? previousKey;
    private readonly DateTimeOffset previousKeyUntil;
    private readonly TimeSpan window;
    private readonly TimeProvider clock;

    public CommandSignatureCheck(IOptions<SecurityOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        key = KeyOf(options.Value);
        previousKey = PreviousKeyOf(options.Value);
        previousKeyUntil = options.Value.PreviousCommandKeyUntil ?? DateTimeOffset.MinValue;
        window = TimeSpan.FromSeconds(options.Value.ReplayWindowSeconds);
        this.clock = clock;
    }

    /// <summary>Null when the command may be carried out; otherwise the reason it is refused.</summary>
    public string? Problem(StopContainer command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (key is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(command.Signature))
        {
            return "invalid command: unsigned command, this node requires signed commands";
        }

        if (command.SignedAt is not { } signedAt)
        {
            return "invalid command: signedAt is missing; a signed command needs the time it was signed";
        }

        // The signature first: an unauthenticated timestamp says nothing worth reporting.
        if (!CommandSignature.Matches(command, key) && PreviousKeyProblem(command) is { } signatureProblem)
        {
            return signatureProblem;
        }

        var age = clock.GetUtcNow() - signedAt;
        if (age > window)
        {
            return $"invalid command: signedAt is {age.TotalSeconds:0} s old; the replay window is {window.TotalSeconds:0} s";
        }

        return -age > window
            ? $"invalid command: signedAt is {-age.TotalSeconds:0} s in the future; the replay window is {window.TotalSeconds:0} s"
            : null;
    }

    /// <summary>Null when the previous key signed the command within the rotation window; otherwise why it is refused.</summary>
    private string? PreviousKeyProblem(StopContainer command)
    {
        if (previousKey is null || !CommandSignature.Matches(command, previousKey))
        {
            return "invalid command: signature does not match";
        }

        return clock.GetUtcNow() < previousKeyUntil
            ? null
            : $"invalid command: signed with the previous command key, which was accepted until {previousKeyUntil:O}";
    }

    /// <summary>Null when the configured key (if any) can be read; otherwise one line that names the setting.</summary>
    internal static string? KeyProblem(SecurityOptions options)
    {
        try
        {
            _ = KeyOf(options);
            return null;
        }
        catch (IOException e)
        {
            return $"Security:CommandKeyFile {options.CommandKeyFile} cannot be used: {e.InnerException?.Message ?? e.Message}";
        }
        catch (ArgumentException e)
        {
            // The inline key's own text is never repeated here: the message only gives its length.
            return $"Security:CommandKey cannot be used: {e.Message}";
        }
    }

    /// <summary>Null when the rotation settings are unset or usable; otherwise one line that names the setting.</summary>
    internal static string? PreviousKeyProblem(SecurityOptions options)
    {
        if (string.IsNullOrEmpty(options.PreviousCommandKeyFile))
        {
            return options.PreviousCommandKeyUntil is null ? null : "Security:PreviousCommandKeyUntil is set without Security:PreviousCommandKeyFile";
        }

        if (options.PreviousCommandKeyUntil is null)
        {
            return "Security:PreviousCommandKeyFile is set without Security:PreviousCommandKeyUntil, the end of the rotation window";
        }

        if (string.IsNullOrEmpty(options.CommandKeyFile) && string.IsNullOrEmpty(options.CommandKey))
        {
            return "Security:PreviousCommandKeyFile is set without a current key (Security:CommandKeyFile or Security:CommandKey)";
        }

        try
        {
            _ = PreviousKeyOf(options);
            return null;
        }
        catch (IOException e)
        {
            return $"Security:PreviousCommandKeyFile {options.PreviousCommandKeyFile} cannot be used: {e.InnerException?.Message ?? e.Message}";
        }
    }

    private static byte[]? KeyOf(SecurityOptions options) => CommandKey.FromSetting(options.CommandKeyFile, options.CommandKey);

    private static byte[]? PreviousKeyOf(SecurityOptions options) => CommandKey.FromSetting(options.PreviousCommandKeyFile, null);
}
