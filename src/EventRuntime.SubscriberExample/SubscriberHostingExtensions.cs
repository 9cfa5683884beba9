using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventRuntime.SubscriberExample;

public static class SubscriberHostingExtensions
{
    /// <summary>
    /// One receive endpoint on the subscriber's own queue with a consumer per outcome event. MassTransit
    /// binds the queue to the exchanges EventRuntime.Contracts:ContainerStopped and
    /// EventRuntime.Contracts:ContainerStopFailed (declaring them if no agent has published yet).
    /// </summary>
    public static IServiceCollection AddOutcomeSubscriber(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SubscriberOptions>().Bind(configuration.GetSection(SubscriberOptions.Section))
            .Validate(o => Uri.TryCreate(o.RabbitMqUrl, UriKind.Absolute, out var url) && url.Scheme is "amqp" or "amqps",
                "Subscriber:RabbitMqUrl must be an amqp:// or amqps:// URL")
            .ValidateOnStart();
        // The host's start waits for the queue to be bound: "started" then means no outcome is missed from here on.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddMassTransit(x =>
        {
            // No usage report to masstransit.io, as on the node (NodeBusExtensions says why).
            x.DisableUsageTelemetry();
            x.AddConsumer<ContainerStoppedConsumer>();
            x.AddConsumer<ContainerStopFailedConsumer>();
            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<SubscriberOptions>>().Value;
                cfg.Host(new Uri(options.RabbitMqUrl));
                cfg.ReceiveEndpoint(options.Queue, e =>
                {
                    // A consumer that throws (its database is away) gets the message again three times, then it goes to <queue>_error.
                    e.UseMessageRetry(r => r.Intervals(100, 1000, 5000));
                    e.ConfigureConsumer<ContainerStoppedConsumer>(context);
                    e.ConfigureConsumer<ContainerStopFailedConsumer>(context);
                });
            });
        });
        services.AddHostedService<ReadyAnnouncement>();
        return services;
    }
}
