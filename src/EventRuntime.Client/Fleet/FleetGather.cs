using System.Collections.Concurrent;

namespace EventRuntime.Client;

/// <summary>
/// Scatter-gather (<see cref="IFleetAsking"/>): a temporary queue bound to the answers' exchange, open only for the question;
/// the question published once (to the fanout exchange of its type, which every agent's fleet queue binds); then
/// the answers that carry its request id, one per node, until every node expected answered or the wait is over. The
/// nodes expected are the named ones; with none named, the roster's members once the roster is read (an empty or
/// unreadable roster expects no one, and the question listens for its whole wait).
/// </summary>
internal static class FleetGather
{
    /// <summary>How long the answers wait for the roster's reader to finish once the question is over.</summary>
    private static readonly TimeSpan RosterCloseGrace = TimeSpan.FromSeconds(1);

    public static async Task<(IReadOnlyDictionary<string, TAnswer> Answers, Roster? Roster)> AskAsync<TQuestion, TAnswer>(
        IFleetAsking asking, TQuestion question, Guid requestId, Func<TAnswer, (Guid RequestId, string Node)> identify,
        IReadOnlyCollection<string> expected, Func<CancellationToken, Task<Roster?>> readRoster, TimeSpan wait, CancellationToken cancellationToken)
        where TQuestion : class
        where TAnswer : class
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero);
        var answers = new ConcurrentDictionary<string, TAnswer>(StringComparer.Ordinal);
        var everyoneAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var roster = (Roster?)null;

        void CheckEveryoneAnswered()
        {
            IReadOnlyCollection<string> awaited = expected.Count > 0 ? expected : (IReadOnlyCollection<string>?)Volatile.Read(ref roster)?.Members.Keys ?? [];
            if (awaited.Count > 0 && awaited.All(answers.ContainsKey))
            {
                everyoneAnswered.TrySetResult();
            }
        }

        using var rosterRead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Read alongside the question, never longer than its wait: the roster may only shorten a question.
        rosterRead.CancelAfter(wait);
        var reading = Task.Run(async () =>
        {
            Volatile.Write(ref roster, await readRoster(rosterRead.Token).ConfigureAwait(false));
            CheckEveryoneAnswered();
        }, CancellationToken.None);

        IFleetListening<TQuestion>? listening = null;
        try
        {
            listening = await asking.ListenAsync<TQuestion, TAnswer>(answer =>
            {
                var (answerTo, node) = identify(answer);
                if (answerTo == requestId && (expected.Count == 0 || expected.Contains(node)))
                {
                    answers.TryAdd(node, answer);
                    CheckEveryoneAnswered();
                }
            }, cancellationToken).ConfigureAwait(false);
            await listening.AskAsync(question, cancellationToken).ConfigureAwait(false);
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
            await rosterRead.CancelAsync().ConfigureAwait(false);
            if (listening is not null)
            {
                await listening.DisposeAsync().ConfigureAwait(false);
            }

            // Its connection closes on its own once cancelled; a broker slow to confirm the close must not hold up the answers.
            await reading.WaitAsync(RosterCloseGrace, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return (new Dictionary<string, TAnswer>(answers, StringComparer.Ordinal), Volatile.Read(ref roster));
    }
}
