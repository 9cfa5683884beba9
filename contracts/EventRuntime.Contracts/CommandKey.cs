using System.Text;

namespace EventRuntime.Contracts;

/// <summary>
/// The shared secret of <see cref="CommandSignature"/>, read the same way by senders and node agents: the
/// key is the UTF-8 bytes of its text without surrounding white space, so the trailing newline an editor or
/// <c>echo</c> adds to a key file is not part of it. <c>head -c 32 /dev/urandom | base64 &gt; key</c> makes a good one.
/// </summary>
public static class CommandKey
{
    /// <summary>Shorter keys are refused: a few characters could be guessed from one signed command.</summary>
    public const int MinimumBytes = 16;

    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinimumBytes"/>.</exception>
    public static byte[] FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = Encoding.UTF8.GetBytes(text.Trim());
        return key.Length >= MinimumBytes
            ? key
            : throw new ArgumentException($"a command key must be at least {MinimumBytes} bytes; this one has {key.Length}");
    }

    /// <exception cref="IOException">The file cannot be read or holds a key that is too short; the message names the file.</exception>
    public static byte[] FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return FromText(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"command key file {path} cannot be used: {e.Message}", e);
        }
    }

    /// <summary>The key a sender or node is configured with: from <paramref name="file"/> when set, else from <paramref name="text"/>, else none.</summary>
    /// <exception cref="IOException">The file cannot be used.</exception>
    /// <exception cref="ArgumentException">The inline key is too short.</exception>
    public static byte[]? FromSetting(string? file, string? text) =>
        !string.IsNullOrEmpty(file) ? FromFile(file)
        : !string.IsNullOrEmpty(text) ? FromText(text)
        : null;
}
