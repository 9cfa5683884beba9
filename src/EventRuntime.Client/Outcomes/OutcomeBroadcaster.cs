namespace EventRuntime.Client;

/// <summary>Hands every outcome event the client receives to each live subscription.</summary>
internal sealed class OutcomeBroadcaster
{
    private readonly Lock gate = new();
    private OutcomeSubscription[] subscriptions = [];

    public OutcomeSubscription Subscribe(OutcomeFilter filter)
    {
        var subscription = new OutcomeSubscription(filter, Unsubscribe);
        lock (gate)
        {
            subscriptions = [.. subscriptions, subscription];
        }

        return subscription;
    }

    public void Publish(OutcomeEvent outcome)
    {
        // The array is replaced, never changed, so it can be read without the lock.
        foreach (var subscription in Volatile.Read(ref subscriptions))
        {
            subscription.Offer(outcome);
        }
    }

    public void CompleteAll()
    {
        OutcomeSubscription[] ending;
        lock (gate)
        {
            ending = subscriptions;
            subscriptions = [];
        }

        foreach (var subscription in ending)
        {
            subscription.Complete();
        }
    }

    private void Unsubscribe(OutcomeSubscription subscription)
    {
        lock (gate)
        {
            subscriptions = [.. subscriptions.Where(s => !ReferenceEquals(s, subscription))];
        }
    }
}
