using EventRuntime.Broker.Tls;
using EventRuntime.Contracts;
using EventRuntime.Node.Sagas;
using EventRuntime.Node.Stopping;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Bus;

/// <summary>
/// The agent's MassTransit wiring: the stop saga on the node's command queue (connected once the bus
/// runs, by <see cref="CommandIntake"/>, so that shutdown can stop it first) and on its response queue, the
/// stop worker on the internal stop queue. No queue binds to published message types (consume topology
/// off): a node gets only what is sent to its own queues. No endpoint publishes faults
/// (<see cref="UnpublishedFaults"/>): a node may only touch its own queues and the outcome exchanges.
/// </summary>
public static class NodeBusExtensions
{
    public static IServiceCollection AddNodeBus(this IServiceCollection services)
    {
        services.AddMassTransit(x =>
        {
            x.AddSagaStateMachine<StopContainerStateMachine, StopContainerState>().SqliteRepository();
            x.AddConsumer<ExecuteStopConsumer>();
            x.UsingRabbitMq((context, cfg) =>
            {
                var node = context.GetRequiredService<IOptions<NodeOptions>>().Value.Name;
                var stop = context.GetRequiredService<IOptions<StopOptions>>().Value;
                var broker = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var url = new Uri(broker.Url);
                var tlsLog = context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrokerTls));
                // MassTransit retries a refused connection for ever; this says once per attempt why TLS refused it.
                var tls = BrokerTls.For(url, broker.Tls, reason => tlsLog.LogError("Broker TLS certificate rejected: {Reason}", reason));
                cfg.Host(url, host => tls?.Apply(host));
                if (PublishedByFilter.BrokerUserOf(url) is { } brokerUser)
                {
                    cfg.ConfigurePublish(publish => publish.UseFilter(new PublishedByFilter(brokerUser)));
                }

                cfg.ReceiveEndpoint(StopQueue.SagaFor(node), e =>
                {
                    e.ConfigureConsumeTopology = false;
                    e.PrefetchCount = context.GetRequiredService<IOptions<IntakeOptions>>().Value.PrefetchCount;
                    UnpublishedFaults.Configure(e);
                    e.UseMessageRetry(r => r.Immediate(3));
                    e.UseInMemoryOutbox(context);
                    e.ConfigureSaga<StopContainerState>(context);
                });

                cfg.ReceiveEndpoint(StopQueue.For(node), e =>
                {
                    e.ConfigureConsumeTopology = false;
                    e.PrefetchCount = stop.Concurrency;
                    e.ConcurrentMessageLimit = stop.Concurrency;
                    UnpublishedFaults.Configure(e);
                    e.UseInMemoryOutbox(context);
                    // Different containers are stopped in parallel; commands for one container join its running stop (StopCoordinator).
                    e.ConfigureConsumer<ExecuteStopConsumer>(context);
                });
            });
        });
        services.AddHostedService<CommandIntake>();
        return services;
    }

    /// <summary>
    /// The saga's own answers, which it consumes wherever it is configured. On the command queue they could
    /// only come from outside the agent, so they are refused there. Each entry names its type, so a test can
    /// check that the list covers every event of the saga but the command itself.
    /// </summary>
    internal static readonly Action<IReceiveEndpointConfigurator>[] RefuseSagaAnswers =
    [
        Refuse<StopExecuted>, Refuse<StopExecutionFailed>, Refuse<Fault<ExecuteStop>>, Refuse<RequestTimeoutExpired<ExecuteStop>>,
    ];

    /// <summary>The command queue's endpoint: the saga, raw JSON accepted, bodies bounded, malformed commands answered, nothing but commands consumed.</summary>
    internal static void ConfigureCommandEndpoint(IBusRegistrationContext context, IReceiveEndpointConfigurator e)
    {
        var intake = context.GetRequiredService<IOptions<IntakeOptions>>().Value;
        var maxBytes = intake.MaxMessageBytes;
        e.ConfigureConsumeTopology = false;
        if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = intake.PrefetchCount;
        }

        // Both readers refuse oversized bodies and foreign content types before parsing. The envelope reader
        // is the default: MassTransit's own senders and plain clients that set no content type use it.
        e.AddDeserializer(new BoundedDeserializerFactory(new SystemTextJsonMessageSerializerFactory(), maxBytes, acceptsMissingContentType: true), isDefault: true);
        // A plain AMQP client may send a bare JSON StopContainer without MassTransit's envelope.
        e.AddDeserializer(new BoundedDeserializerFactory(new SystemTextJsonRawMessageSerializerFactory(RawSerializerOptions.AnyMessageType), maxBytes));
        foreach (var refuse in RefuseSagaAnswers)
        {
            refuse(e);
        }

        e.ConfigureDeadLetter(skipped => skipped.UseFilter(new SkipReasonFilter()));
        // Senders learn of every command through its outcome, or from the error queue's headers.
        UnpublishedFaults.Configure(e, new MalformedCommandFilter(maxBytes));
        e.UseMessageRetry(r => r.Immediate(3));
        e.UseInMemoryOutbox(context);
        e.ConfigureSaga<StopContainerState>(context);
    }

    private static void Refuse<T>(IReceiveEndpointConfigurator e)
        where T : class => e.AddPipeSpecification(new NotConsumedHereFilter<T>());
}
