using System.Collections.Concurrent;
using MassTransit;

namespace EventRuntime.Client;

/// <summary>
/// Scatter-gather over the bus: a temporary queue bound to the answers' exchange, connected only for the question;
/// the question published once (to the fanout exchange of its type, which every agent's fleet queue binds); then
/// the answers that carry its request id, one per node, until every named node answered or the wait is over.
/// </summary>
internal static class FleetGather
{
    public static async Task<IReadOnlyDictionary<string, TAnswer>> AskAsync<TQuestion, TAnswer>(
        IBus bus, string queuePrefix, TQuestion question, Guid requestId, Func<TAnswer, (Guid RequestId, string Node)> identify,
        IReadOnlyCollection<string> expected, TimeSpan wait, CancellationToken cancellationToken)
        where TQuestion : class
        where TAnswer : class
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero);
        var answers = new ConcurrentDictionary<string, TAnswer>(StringComparer.Ordinal);
        var everyoneAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint($"{queuePrefix}-fleet-{Guid.NewGuid():N}", e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
                // Answers of a hundred agents arrive at once; take them as fast as they come.
                rabbit.PrefetchCount = 256;
            }

            e.Handler<TAnswer>(context =>
            {
                var (answerTo, node) = identify(context.Message);
                if (answerTo == requestId && (expected.Count == 0 || expected.Contains(node)))
                {
                    answers.TryAdd(node, context.Message);
                    if (expected.Count > 0 && expected.All(answers.ContainsKey))
                    {
                        everyoneAnswered.TrySetResult();
                    }
                }

                return Task.CompletedTask;
            });
        });
        try
        {
            await handle.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            await bus.Publish(question, cancellationToken).ConfigureAwait(false);
            try
            {
                await everyoneAnswered.Task.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The wait is the bound of the question: whoever has not answered by now is silent.
            }
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return new Dictionary<string, TAnswer>(answers, StringComparer.Ordinal);
    }
}
