using System.Diagnostics;

namespace EventRuntime.TestSupport;

/// <summary>
/// A throwaway certificate authority made with the openssl command line in a temporary directory: the broker's
/// certificate (SAN localhost and 127.0.0.1), a client certificate (its key plain and password-encrypted), and a
/// second, unrelated CA that trusts none of them.
/// </summary>
public sealed class TestPki : IDisposable
{
    public const string ClientCommonName = "eventruntime-tls-test-client";

    private const string MinimalConfig = """
        [req]
        distinguished_name = dn
        prompt = no
        x509_extensions = ca
        [dn]
        CN = unused
        [ca]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        """;

    private TestPki(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => File("ca.pem");

    public string ServerCertificateFile => File("server.pem");

    public string ServerKeyFile => File("server.key");

    public string ClientCertificateFile => File("client.pem");

    public string ClientKeyFile => File("client.key");

    /// <summary>The client key in encrypted PKCS#8; its password is in <see cref="ClientKeyPasswordFile"/>.</summary>
    public string EncryptedClientKeyFile => File("client-encrypted.key");

    public string ClientKeyPasswordFile => File("client-key.password");

    /// <summary>Distinct from every other secret of the tests, so that a log can be searched for it.</summary>
    public string ClientKeyPassword { get; } = "key-pw-" + Guid.NewGuid().ToString("N");

    /// <summary>A CA that signed nothing here.</summary>
    public string OtherCaFile => File("other-ca.pem");

    public static TestPki Create()
    {
        var pki = new TestPki(System.IO.Directory.CreateTempSubdirectory("eventruntime-pki-").FullName);
        pki.Generate();
        return pki;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Generate()
    {
        System.IO.File.WriteAllText(File("openssl.cnf"), MinimalConfig);
        NewCa("ca", "EventRuntime test CA");
        NewCa("other-ca", "Unrelated test CA");
        Issue("server", "localhost", "subjectAltName = DNS:localhost, IP:127.0.0.1\nextendedKeyUsage = serverAuth\nbasicConstraints = CA:FALSE\n");
        Issue("client", ClientCommonName, "extendedKeyUsage = clientAuth\nbasicConstraints = CA:FALSE\n");
        System.IO.File.WriteAllText(ClientKeyPasswordFile, ClientKeyPassword + "\n");
        OpenSsl("pkcs8", "-topk8", "-in", ClientKeyFile, "-out", EncryptedClientKeyFile, "-passout", "file:" + ClientKeyPasswordFile, "-v2", "aes-256-cbc");
    }

    private void NewCa(string name, string commonName) =>
        OpenSsl("req", "-x509", "-config", File("openssl.cnf"), "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=" + commonName, "-keyout", File(name + ".key"), "-out", File(name + ".pem"));

    private void Issue(string name, string commonName, string extensions)
    {
        System.IO.File.WriteAllText(File(name + ".ext"), extensions);
        OpenSsl("req", "-new", "-config", File("openssl.cnf"), "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
            "-keyout", File(name + ".key"), "-out", File(name + ".csr"));
        OpenSsl("x509", "-req", "-in", File(name + ".csr"), "-CA", CaFile, "-CAkey", File("ca.key"), "-set_serial", "0x" + Guid.NewGuid().ToString("N")[..16],
            "-days", "2", "-extfile", File(name + ".ext"), "-out", File(name + ".pem"));
    }

    private string File(string name) => Path.Combine(Directory, name);

    private static void OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start openssl");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {stderr.Result}");
        }
    }
}
