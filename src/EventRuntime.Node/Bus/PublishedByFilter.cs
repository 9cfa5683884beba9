using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Stamps every message the agent publishes (outcomes, heartbeats) with AMQP's <c>user_id</c>: the broker user
/// the agent logged in as. RabbitMQ refuses a publish whose user_id is not the connection's own user, so a
/// subscriber that reads user_id knows which credentials published an outcome, whatever its body claims.
/// </summary>
public sealed class PublishedByFilter(string brokerUser) : IFilter<PublishContext>
{
    /// <summary>The user name in an amqp(s):// URL, or null when it names none.</summary>
    public static string? BrokerUserOf(Uri url)
    {
        var name = url.UserInfo.Split(':')[0];
        return name.Length == 0 ? null : Uri.UnescapeDataString(name);
    }

    public Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.BasicProperties.UserId = brokerUser;
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("publishedBy");
}
