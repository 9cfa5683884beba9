namespace EventRuntime.Client;

/// <summary>
/// How one fleet question goes out and its answers come back: a temporary queue bound to the answer's exchange, open
/// for the question only. Over the client's bus (<see cref="BusFleetAsking"/>), or over a plain connection of the
/// question's own (<see cref="DirectFleetAsking"/>) for a one-shot process such as <c>ert ps</c>.
/// </summary>
internal interface IFleetAsking
{
    /// <summary>Listens for <typeparamref name="TAnswer"/>s, each passed to <paramref name="onAnswer"/>, until the listening is disposed.</summary>
    Task<IFleetListening<TQuestion>> ListenAsync<TQuestion, TAnswer>(Action<TAnswer> onAnswer, CancellationToken cancellationToken)
        where TQuestion : class
        where TAnswer : class;
}

/// <summary>A question's answers being listened for; the question is published through it once they can be heard.</summary>
internal interface IFleetListening<in TQuestion> : IAsyncDisposable
    where TQuestion : class
{
    /// <summary>Publishes the question to the fanout exchange of its type, which every agent's fleet queue binds.</summary>
    Task AskAsync(TQuestion question, CancellationToken cancellationToken);
}
