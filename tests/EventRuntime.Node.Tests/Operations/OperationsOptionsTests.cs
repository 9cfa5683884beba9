using EventRuntime.Node.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Tests.Operations;

// The agent's host as the executable builds it, validated as at start (nothing runs): each bad setting of the
// sections an operator of a fleet sets (endpoint, logs, telemetry, secrets from files) is refused with its own line.
public sealed class OperationsOptionsTests : IDisposable
{
    private readonly string state = Directory.CreateTempSubdirectory("eventruntime-options-").FullName;

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Telemetry:Exporter", "otpl", "Telemetry:Exporter \"otpl\" is not one of none, console, otlp" },
        { "Telemetry:OtlpEndpoint", "collector:4317", "Telemetry:OtlpEndpoint \"collector:4317\" is not an absolute http:// or https:// URL" },
        { "Logging:Format", "xml", "Logging:Format \"xml\" is not one of text, json" },
        { "Logging:SeqUrl", "seq.example", "Logging:SeqUrl \"seq.example\" is not an absolute http:// or https:// URL" },
        { "Health:Address", "localhost", "Health:Address must be an IP address, e.g. 127.0.0.1 or 0.0.0.0" },
        { "Health:Port", "70000", "Health:Port must be between 0 (off) and 65535" },
        { "RabbitMq:PasswordFile", "/nonexistent/broker-password", "RabbitMq:PasswordFile /nonexistent/broker-password cannot be read: Could not find a part of the path '/nonexistent/broker-password'." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_operations_setting_is_refused_at_start_with_one_line(string key, string value, string failure)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key == "Telemetry:OtlpEndpoint")
        {
            settings["Telemetry:Exporter"] = "otlp";
        }

        var error = Assert.Throws<OptionsValidationException>(() => Validate(settings));

        Assert.Equal([failure], error.Failures);
    }

    [Fact]
    public void The_defaults_pass()
    {
        Validate(new Dictionary<string, string?>());
    }

    public void Dispose() => Directory.Delete(state, recursive: true);

    private void Validate(Dictionary<string, string?> settings)
    {
        settings["Node:Name"] = "options-node";
        settings["Node:StateDirectory"] = state;
        var builder = NodeAgentHost.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"], settings);
        builder.Services.AddNodeAgent(builder.Configuration);
        using var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}
