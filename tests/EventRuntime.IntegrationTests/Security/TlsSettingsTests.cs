using EventRuntime.Broker.Tls;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Stopping;
using EventRuntime.TestSupport;
using Microsoft.Extensions.Options;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>The start-time check of RabbitMq:Tls: each unusable setting is one line naming it; good settings pass.</summary>
public sealed class TlsSettingsTests(TlsSettingsTests.PkiFixture fixture) : IClassFixture<TlsSettingsTests.PkiFixture>
{
    private TestPki Pki => fixture.Pki;

    public static TheoryData<string, string, Action<TestPki, RabbitMqOptions>, string?> Cases() => new()
    {
        { "good settings", "amqps", (_, _) => { }, null },
        { "required on a plain URL", "amqp", (_, o) => o.Tls.Required = true, "RabbitMq:Tls:Required is true but RabbitMq:Url is a plain amqp:// URL; use amqps://" },
        { "files on a plain URL", "amqp", (_, _) => { }, "RabbitMq:Tls names certificate files but RabbitMq:Url is a plain amqp:// URL; use amqps://" },
        { "missing CA file", "amqps", (_, o) => o.Tls.CaFile = "/nonexistent/ca.pem", "RabbitMq:Tls:CaFile /nonexistent/ca.pem cannot be read as PEM certificates" },
        { "certificate without key", "amqps", (_, o) => o.Tls.ClientKeyFile = null, "RabbitMq:Tls:ClientCertificateFile and ClientKeyFile must be set together" },
        { "encrypted key without password", "amqps", (p, o) => o.Tls.ClientKeyFile = p.EncryptedClientKeyFile, "RabbitMq:Tls:ClientCertificateFile {cert} with ClientKeyFile {encrypted} cannot be loaded: " },
        { "wrong key password", "amqps", (p, o) => { o.Tls.ClientKeyFile = p.EncryptedClientKeyFile; o.Tls.ClientKeyPasswordFile = p.CaFile; }, "RabbitMq:Tls:ClientCertificateFile {cert} with ClientKeyFile {encrypted} cannot be loaded: " },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unusable_TLS_settings_are_refused_at_start_with_one_line(string description, string scheme, Action<TestPki, RabbitMqOptions> change, string? expected)
    {
        var options = new RabbitMqOptions
        {
            Url = $"{scheme}://u:p@127.0.0.1/",
            Tls = new BrokerTlsOptions { CaFile = Pki.CaFile, ClientCertificateFile = Pki.ClientCertificateFile, ClientKeyFile = Pki.ClientKeyFile },
        };
        change(Pki, options);

        var result = new RabbitMqOptionsValidator(Options.Create(new StopOptions())).Validate(null, options);

        if (expected is null)
        {
            Assert.True(result.Succeeded, $"{description}: {result.FailureMessage}");
        }
        else
        {
            var failure = Assert.Single(result.Failures ?? []);
            Assert.StartsWith(expected.Replace("{cert}", Pki.ClientCertificateFile).Replace("{encrypted}", Pki.EncryptedClientKeyFile), failure, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', failure);
        }
    }

    public sealed class PkiFixture : IDisposable
    {
        public TestPki Pki { get; } = TestPki.Create();

        public void Dispose() => Pki.Dispose();
    }
}
