namespace EventRuntime.Node.Bus;

/// <summary>
/// The broker password from <see cref="RabbitMqOptions.PasswordFile"/> (systemd's LoadCredential= puts it in
/// $CREDENTIALS_DIRECTORY): the file's text without its line break. Over the password in RabbitMq:Url.
/// </summary>
public static class BrokerPassword
{
    /// <summary>The password, or null when no file is set.</summary>
    /// <exception cref="IOException">The file cannot be read or is empty; the message names the file, never its text.</exception>
    public static string? FromFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"RabbitMq:PasswordFile {path} cannot be read: {e.Message}", e);
        }

        return text.Length > 0 ? text : throw new IOException($"RabbitMq:PasswordFile {path} is empty");
    }

    /// <summary>The password for log masking: null when there is none or it cannot be read (start refuses that).</summary>
    public static string? FromFileOrNull(string? path)
    {
        try
        {
            return FromFile(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
