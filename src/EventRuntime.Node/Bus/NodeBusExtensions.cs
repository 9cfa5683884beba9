using EventRuntime.Broker.Cluster;
using EventRuntime.Broker.Tls;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Sagas;
using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Bus;

/// <summary>
/// The agent's MassTransit wiring: one queue per node, the command queue, with the stop saga on it
/// (connected once the bus runs, by <see cref="CommandIntake"/>, so that shutdown can stop it first). No
/// queue binds to published message types (consume topology off): a node gets only what is sent to its own
/// queue. No endpoint publishes faults (<see cref="UnpublishedFaults"/>): a node may only touch its own queue
/// and the outcome exchanges.
/// </summary>
public static class NodeBusExtensions
{
    public static IServiceCollection AddNodeBus(this IServiceCollection services)
    {
        services.AddMassTransit(x =>
        {
            // No usage report to masstransit.io: a node has no business calling out (it failed offline after 5 min), and the
            // report raced the bus's start: MassTransit 8.5.12 faulted a start with "Collection was modified" in its
            // telemetry observer, and the agent never became healthy (ClusterErtTests, 2026-12-01).
            x.DisableUsageTelemetry();
            x.AddSagaStateMachine<StopContainerStateMachine, StopContainerState>().SqliteRepository();
            // MassTransit's own health check (tagged "ready"), named as /health/ready has always named it.
            x.ConfigureHealthCheckOptions(health => health.Name = "bus");
            x.UsingRabbitMq((context, cfg) =>
            {
                var broker = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var url = new Uri(broker.Url);
                var tlsLog = context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrokerTls));
                // MassTransit retries a refused connection for ever; this says once per attempt why TLS refused it.
                var tls = BrokerTls.For(url, broker.Tls, reason => tlsLog.LogError("Broker TLS certificate rejected: {Reason}", reason));
                var password = BrokerPassword.FromFile(broker.PasswordFile);
                var cluster = BrokerNodes.Parse(broker.ClusterNodes, "RabbitMq:ClusterNodes");
                cfg.Host(url, host =>
                {
                    cluster?.Apply(host);
                    if (password is not null)
                    {
                        host.Password(password);
                    }

                    tls?.Apply(host);
                });
                if (PublishedByFilter.BrokerUserOf(url) is { } brokerUser)
                {
                    cfg.ConfigurePublish(publish => publish.UseFilter(new PublishedByFilter(brokerUser)));
                }

                MarkPublishedOutcomes(context, cfg);
            });
        });
        services.AddScoped<StopActivity>();
        services.AddScoped<RecordOutcome>();
        services.AddScoped<CommandStatusConsumer>();
        services.AddScoped<RepeatedCommandLog>();
        services.AddSingleton<CommandIntake>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandIntake>());
        // After the intake: it stops checking before the intake stops the endpoint.
        services.AddSingleton<CommandConsumerWatchdog>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandConsumerWatchdog>());
        return services;
    }

    /// <summary>Every outcome whose publish the broker confirmed is marked in the saga's store (<see cref="OutcomePublishedMark"/>).</summary>
    internal static void MarkPublishedOutcomes(IBusRegistrationContext context, IBusFactoryConfigurator cfg) =>
        cfg.ConnectPublishObserver(new OutcomePublishedMark(context.GetRequiredService<SagaDatabase>(), context.GetRequiredService<ILogger<OutcomePublishedMark>>()));

    /// <summary>
    /// The command queue's endpoint: the saga, as many commands at once as <c>Stop:Concurrency</c> (a stop
    /// holds its delivery for its grace period), raw JSON accepted, bodies bounded, malformed commands answered,
    /// nothing but commands consumed.
    /// </summary>
    internal static void ConfigureCommandEndpoint(IBusRegistrationContext context, IReceiveEndpointConfigurator e)
    {
        var maxBytes = context.GetRequiredService<IOptions<IntakeOptions>>().Value.MaxMessageBytes;
        var concurrency = context.GetRequiredService<IOptions<StopOptions>>().Value.Concurrency;
        e.ConfigureConsumeTopology = false;
        e.ConcurrentMessageLimit = concurrency;
        if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = concurrency;
            // On a cluster the queue is quorum: the commands it holds, and the one a stop holds unacknowledged, outlive a broker node.
            context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueueType.Apply(rabbit);
        }

        // Both readers refuse oversized bodies and foreign content types before parsing. The envelope reader
        // is the default: MassTransit's own senders and plain clients that set no content type use it.
        e.AddDeserializer(new BoundedDeserializerFactory(new SystemTextJsonMessageSerializerFactory(), maxBytes, acceptsMissingContentType: true), isDefault: true);
        // A plain AMQP client may send a bare JSON StopContainer without MassTransit's envelope.
        e.AddDeserializer(new BoundedDeserializerFactory(new SystemTextJsonRawMessageSerializerFactory(RawSerializerOptions.AnyMessageType), maxBytes));
        e.ConfigureDeadLetter(skipped => skipped.UseFilter(new SkipReasonFilter()));
        // Senders learn of every command through its outcome, or from the error queue's headers.
        UnpublishedFaults.Configure(e, new MalformedCommandFilter(maxBytes));
        e.UseMessageRetry(r => r.Immediate(3));
        // Outcomes leave after the saga's instance is committed, never before.
        e.UseInMemoryOutbox(context);
        e.ConfigureSaga<StopContainerState>(context);
        e.Consumer<CommandStatusConsumer>(context);
    }
}
