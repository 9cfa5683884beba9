using EventRuntime.Broker.Tls;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Kernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace EventRuntime.Node.Operations;

public static class OperationsExtensions
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Node} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog through the host: console (text or compact JSON), Seq when configured, secrets masked, flushed on
    /// shutdown. Each host gets a logger of its own and Serilog's static <c>Log.Logger</c> is left alone: agents
    /// hosted in one process (tests, the bench) never write to, flush or close each other's sinks.
    /// </summary>
    public static IServiceCollection AddNodeLogging(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(LoggingOptions.Section).Get<LoggingOptions>() ?? new LoggingOptions();
        var masking = new SecretMaskingEnricher([
            options.SeqApiKey,
            new Uri(configuration["RabbitMq:Url"] ?? "amqp://x/").UserInfo.Split(':').ElementAtOrDefault(1),
            BrokerPassword.FromFileOrNull(configuration["RabbitMq:PasswordFile"]),
            // Never logged on purpose, but an error quoting a file or a command line must not carry it either.
            BrokerTls.ClientKeyPasswordOrNull(configuration["RabbitMq:Tls:ClientKeyPasswordFile"]),
            // Trimmed as the key is used; masking the trimmed text also masks it inside any untrimmed copy.
            configuration["Security:CommandKey"]?.Trim(),
        ]);
        services.AddSerilog((_, logger) =>
        {
            logger.ReadFrom.Configuration(configuration)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Node", configuration["Node:Name"] ?? Environment.MachineName)
                .Enrich.With(masking);
            var json = string.Equals(options.Format, "json", StringComparison.OrdinalIgnoreCase);
            if (JournalPriorityFormatter.ConsoleIsJournal)
            {
                ITextFormatter line = json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);
                logger.WriteTo.Console(new JournalPriorityFormatter(line));
            }
            else if (json)
            {
                logger.WriteTo.Console(new CompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }

            // A URL Seq's sink cannot take is left to LoggingOptionsValidator, which refuses it at start with one line.
            if (!string.IsNullOrWhiteSpace(options.SeqUrl) && HttpUrl.Problem(options.SeqUrl) is null)
            {
                logger.WriteTo.Seq(options.SeqUrl, apiKey: options.SeqApiKey, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        }, preserveStaticLogger: true);
        return services;
    }

    /// <summary>OpenTelemetry traces and metrics from MassTransit and the agent, exported as configured.</summary>
    public static IServiceCollection AddNodeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var exporter = options.Exporter.ToLowerInvariant();
        if (exporter == "none")
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("eventruntime-node", serviceInstanceId: configuration["Node:Name"]))
            .WithTracing(tracing =>
            {
                tracing.AddSource("MassTransit", NodeTelemetry.Name);
                _ = exporter == "otlp" ? tracing.AddOtlpExporter(o => o.Endpoint = new Uri(options.OtlpEndpoint)) : tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("MassTransit", NodeTelemetry.Name);
                _ = exporter == "otlp" ? metrics.AddOtlpExporter(o => o.Endpoint = new Uri(options.OtlpEndpoint)) : metrics.AddConsoleExporter();
            });
        return services;
    }
}
