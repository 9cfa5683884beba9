using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EventRuntime.Broker.Tls;

/// <summary>Reads the PEM files that <see cref="BrokerTlsOptions"/> names; each failure says which file and why.</summary>
internal static class TlsFiles
{
    public static X509Certificate2Collection LoadCa(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TlsSettingsException($"CaFile {path} cannot be read as PEM certificates: {e.Message}", e);
        }

        return certificates.Count > 0 ? certificates : throw new TlsSettingsException($"CaFile {path} holds no PEM certificate");
    }

    /// <summary>The client certificate with its private key, or null when none is configured.</summary>
    public static X509Certificate2? LoadClientCertificate(BrokerTlsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClientCertificateFile) && string.IsNullOrWhiteSpace(options.ClientKeyFile))
        {
            return string.IsNullOrWhiteSpace(options.ClientKeyPasswordFile)
                ? null
                : throw new TlsSettingsException("ClientKeyPasswordFile is set without ClientCertificateFile and ClientKeyFile");
        }

        if (string.IsNullOrWhiteSpace(options.ClientCertificateFile) || string.IsNullOrWhiteSpace(options.ClientKeyFile))
        {
            throw new TlsSettingsException("ClientCertificateFile and ClientKeyFile must be set together");
        }

        try
        {
            return string.IsNullOrWhiteSpace(options.ClientKeyPasswordFile)
                ? X509Certificate2.CreateFromPemFile(options.ClientCertificateFile, options.ClientKeyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(options.ClientCertificateFile, ReadPassword(options.ClientKeyPasswordFile), options.ClientKeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // The message never contains the password: the exceptions above describe files and formats only.
            throw new TlsSettingsException(
                $"ClientCertificateFile {options.ClientCertificateFile} with ClientKeyFile {options.ClientKeyFile} cannot be loaded: {e.Message}", e);
        }
    }

    public static string ReadPassword(string path)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsSettingsException($"ClientKeyPasswordFile {path} cannot be read: {e.Message}", e);
        }
    }
}
