using System.Collections;
using EventRuntime.Broker.Tls;

namespace EventRuntime.Cli.Connection;

/// <summary>
/// Where the broker is, from the first of: <c>--rabbitmq</c>, <c>RABBITMQ_URL</c>, the config file
/// (<c>--config</c>, <c>ERT_CONFIG</c>, or <c>~/.config/ert/config.json</c>), RabbitMQ's local default.
/// TLS settings come from the config file whichever source named the URL.
/// </summary>
internal sealed record ConnectionSettings(Uri RabbitMqUrl, string Source, BrokerTlsOptions Tls)
{
    public const string EnvironmentVariable = "RABBITMQ_URL";
    public const string ConfigEnvironmentVariable = "ERT_CONFIG";
    public static readonly Uri DefaultUrl = new("amqp://guest:guest@127.0.0.1:5672/");

    public static ConnectionSettings Resolve(string? flag, string? configPath, IDictionary environment)
    {
        var explicitFile = configPath ?? environment[ConfigEnvironmentVariable] as string;
        var file = string.IsNullOrWhiteSpace(explicitFile) ? ConfigFile.DefaultPath(environment) : explicitFile;
        var (fromFile, tls) = ConfigFile.Read(file, mustExist: !string.IsNullOrWhiteSpace(explicitFile));

        if (!string.IsNullOrWhiteSpace(flag))
        {
            return new ConnectionSettings(Parse(flag, "--rabbitmq"), "--rabbitmq", tls);
        }

        if (environment[EnvironmentVariable] is string fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new ConnectionSettings(Parse(fromEnvironment, EnvironmentVariable), EnvironmentVariable, tls);
        }

        return fromFile is null
            ? new ConnectionSettings(DefaultUrl, "default", tls)
            : new ConnectionSettings(Parse(fromFile, file + " (rabbitmq)"), file, tls);
    }

    private static Uri Parse(string value, string source)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url))
        {
            throw new UsageException($"{source}: '{value}' is not a URL (expected amqp://user:password@host:port/vhost)");
        }

        var problem = Client.BrokerAddress.Problem(url);
        return problem is null ? url : throw new UsageException($"{source}: {Client.BrokerAddress.Describe(url)} cannot be used: {problem}");
    }
}
