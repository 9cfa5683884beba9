using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.Client;

/// <summary>Registers the EventRuntime client with dependency injection.</summary>
public static class ClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEventRuntimeClient"/> (one per container, on a bus of its own) and a hosted
    /// service that connects it when the host starts, so a wrong broker address fails the start, not the first stop.
    /// </summary>
    public static IServiceCollection AddEventRuntimeClient(this IServiceCollection services, Action<EventRuntimeClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EventRuntimeClientOptions>()
            .Validate(o => BrokerAddress.Problem(o.RabbitMqUrl) is null, "EventRuntimeClient:RabbitMqUrl must be an amqp:// or amqps:// URL")
            .Validate(o => BrokerNodes.Problem(o.ClusterNodes, "x") is null, "EventRuntimeClient:ClusterNodes must be host:port[,host:port...]")
            .Validate(o => o.OutcomeQueueExpiry >= TimeSpan.FromSeconds(1), "EventRuntimeClient:OutcomeQueueExpiry must be at least 1 s")
            .Validate(o => o.ResendAfter > TimeSpan.Zero, "EventRuntimeClient:ResendAfter must be positive")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero, "EventRuntimeClient:ConnectTimeout must be positive")
            .Validate(o => o.TopologyTimeout > TimeSpan.Zero, "EventRuntimeClient:TopologyTimeout must be positive")
            .Validate(o => o.OutcomeWaitMargin >= TimeSpan.Zero, "EventRuntimeClient:OutcomeWaitMargin must not be negative")
            .Validate(o => string.IsNullOrEmpty(o.CommandKeyFile) || string.IsNullOrEmpty(o.CommandKey),
                "EventRuntimeClient:CommandKeyFile and EventRuntimeClient:CommandKey are both set; set one")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventRuntimeClientOptions>, ClientTlsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton(sp => new EventRuntimeClient(sp.GetRequiredService<IOptions<EventRuntimeClientOptions>>().Value));
        services.AddSingleton<IEventRuntimeClient>(sp => sp.GetRequiredService<EventRuntimeClient>());
        services.AddHostedService<ClientConnectionService>();
        return services;
    }

    /// <summary>The first problem of the TLS settings for the URL, as one line; null when there is none.</summary>
    internal static string? TlsProblem(EventRuntimeClientOptions options) =>
        BrokerTlsCheck.Problems(options.RabbitMqUrl, options.Tls, $"{EventRuntimeClientOptions.Section}:RabbitMqUrl", $"{EventRuntimeClientOptions.Section}:{BrokerTlsOptions.Section}")
            .FirstOrDefault();

    /// <summary>As <see cref="AddEventRuntimeClient(IServiceCollection, Action{EventRuntimeClientOptions})"/>, with the settings of section "EventRuntimeClient".</summary>
    public static IServiceCollection AddEventRuntimeClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddEventRuntimeClient();
        services.Configure<EventRuntimeClientOptions>(configuration.GetSection(EventRuntimeClientOptions.Section));
        return services;
    }
}
