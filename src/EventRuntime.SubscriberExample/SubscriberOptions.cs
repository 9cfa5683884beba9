namespace EventRuntime.SubscriberExample;

/// <summary>The subscriber's settings (section "Subscriber").</summary>
public sealed class SubscriberOptions
{
    public const string Section = "Subscriber";

    /// <summary>
    /// The subscriber's own queue. Durable and named, so outcomes published while the subscriber is
    /// down wait for it; two instances with the same name share the work, two names each get everything.
    /// </summary>
    public string Queue { get; set; } = "eventruntime-subscriber-example";

    /// <summary>amqp://user:password@host:port/vhost of the broker the node agents publish to.</summary>
    public string RabbitMqUrl { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";
}
