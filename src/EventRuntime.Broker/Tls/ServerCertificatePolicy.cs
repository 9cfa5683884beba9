using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EventRuntime.Broker.Tls;

/// <summary>
/// Decides whether the broker's certificate is accepted: it must carry <see cref="ServerName"/> and chain to a
/// trusted CA (the configured CA file, else the system store). It is installed as the connection's validation
/// callback because MassTransit's defaults accept chain errors; with a callback of our own no library default
/// can weaken the check. Revocation is not checked: private broker CAs rarely publish CRLs.
/// </summary>
public sealed class ServerCertificatePolicy
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection? trustedCas;
    private readonly string? caFile;
    private readonly Action<string>? onRejected;
    private string? lastRejection;

    /// <param name="serverName">The name the certificate must carry.</param>
    /// <param name="trustedCas">The only CAs to trust, or null for the system store.</param>
    /// <param name="caFile">Where <paramref name="trustedCas"/> came from, for messages.</param>
    /// <param name="onRejected">Told why, each time a certificate is rejected.</param>
    public ServerCertificatePolicy(string serverName, X509Certificate2Collection? trustedCas, string? caFile, Action<string>? onRejected)
    {
        ServerName = serverName;
        this.trustedCas = trustedCas;
        this.caFile = caFile;
        this.onRejected = onRejected;
    }

    /// <summary>The name the broker's certificate must carry.</summary>
    public string ServerName { get; }

    /// <summary>Why the last rejected certificate was rejected; null when none was.</summary>
    public string? LastRejection => Volatile.Read(ref lastRejection);

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var problem = Problem(certificate, chain, errors);
        if (problem is null)
        {
            return true;
        }

        Volatile.Write(ref lastRejection, problem);
        onRejected?.Invoke(problem);
        return false;
    }

    private string? Problem(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the broker presented no certificate";
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        // Checked here as well as by SslStream, so that the name is verified even if a client library passed another target host.
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || !leaf.MatchesHostname(ServerName))
        {
            return $"the broker's certificate ({leaf.Subject}) is not valid for the server name {ServerName}";
        }

        if (trustedCas is null)
        {
            return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                ? $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted by the system's CA store: {Describe(chain)}"
                : null;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        // Intermediates the broker sent may complete the chain; they are not trusted by being sent.
        foreach (var element in chain?.ChainElements.Skip(1) ?? [])
        {
            custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        return custom.Build(leaf)
            ? null
            : $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not chain to a CA in {caFile}: {Describe(custom)}";
    }

    private static string Describe(X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToList() ?? [];
        return statuses.Count > 0 ? string.Join("; ", statuses) : "chain not built";
    }
}
