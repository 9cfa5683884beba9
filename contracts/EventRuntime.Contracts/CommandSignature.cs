using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventRuntime.Contracts;

/// <summary>
/// The HMAC-SHA256 signature of a <see cref="StopContainer"/>, the same code for senders and node agents.
/// docs/wire-contract.md describes the canonical form for senders in other languages, with a worked example.
/// </summary>
public static class CommandSignature
{
    /// <summary>First line of the canonical form; a different form gets a different version, so old signatures never verify under it.</summary>
    public const string Version = "eventruntime-stop-v1";

    /// <summary>Length of a signature in hex characters (32 bytes).</summary>
    public const int HexLength = 64;

    /// <summary>
    /// The text that is signed: the version line, then one line per field, <c>name:length:value</c>, where
    /// length is the value's size in UTF-8 bytes. The length, not a separator, ends each value, so no
    /// character of one field can pass for part of another, whatever the fields contain.
    /// </summary>
    /// <exception cref="ArgumentException">The command has no <see cref="StopContainer.SignedAt"/>.</exception>
    public static string CanonicalForm(StopContainer command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.SignedAt is not { } signedAt)
        {
            throw new ArgumentException($"the command for container {command.ContainerId} has no signedAt to sign", nameof(command));
        }

        var canonical = new StringBuilder(Version).Append('\n');
        Field(canonical, "commandId", command.CommandId.ToString("D"));
        Field(canonical, "node", command.Node ?? "");
        Field(canonical, "containerId", command.ContainerId ?? "");
        Field(canonical, "timeoutSeconds", command.TimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        Field(canonical, "resumePaused", command.ResumePaused ? "true" : "false");
        // Milliseconds since the epoch, not the ISO text: senders format timestamps differently, the instant is what counts.
        Field(canonical, "signedAt", signedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        // Later optional fields are signed only when present, so a signature made before they existed still verifies.
        if (command.ExpiresAt is { } expiresAt)
        {
            Field(canonical, "expiresAt", expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        if (command.InstanceId is { } instanceId)
        {
            Field(canonical, "instanceId", instanceId);
        }

        if (command.DrainSeconds is { } drainSeconds)
        {
            Field(canonical, "drainSeconds", drainSeconds.ToString(CultureInfo.InvariantCulture));
        }

        return canonical.ToString();
    }

    /// <summary>The signature of <paramref name="command"/> (with its SignedAt) under <paramref name="key"/>, lower-case hex.</summary>
    public static string Compute(StopContainer command, ReadOnlySpan<byte> key) =>
        Convert.ToHexStringLower(Mac(command, key));

    /// <summary>
    /// <paramref name="command"/> with <see cref="StopContainer.SignedAt"/> set to <paramref name="signedAt"/>
    /// (in UTC, to the millisecond, as it is signed) and its <see cref="StopContainer.Signature"/>.
    /// </summary>
    public static StopContainer Sign(StopContainer command, ReadOnlySpan<byte> key, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(command);
        var stamped = command with { SignedAt = DateTimeOffset.FromUnixTimeMilliseconds(signedAt.ToUnixTimeMilliseconds()) };
        return stamped with { Signature = Compute(stamped, key) };
    }

    /// <summary>
    /// True when <paramref name="command"/> carries a SignedAt and a signature that <paramref name="key"/> produces
    /// over its fields. Compared in constant time, so the time taken tells a forger nothing about how close he came.
    /// </summary>
    public static bool Matches(StopContainer command, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.SignedAt is null || command.Signature is not { Length: HexLength } hex)
        {
            return false;
        }

        byte[] claimed;
        try
        {
            claimed = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(claimed, Mac(command, key));
    }

    private static byte[] Mac(StopContainer command, ReadOnlySpan<byte> key) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(CanonicalForm(command)));

    private static void Field(StringBuilder canonical, string name, string value) =>
        canonical.Append(name).Append(':')
            .Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':')
            .Append(value).Append('\n');
}
