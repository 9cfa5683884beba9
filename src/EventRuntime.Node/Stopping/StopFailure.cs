using EventRuntime.Contracts;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// A failed stop step: a <see cref="StopFailureCode"/> and a message that wraps its cause the way the
/// seed does ("failed to stop container X: runc kill: ..."). <see cref="Causes"/> is the chain, outermost first.
/// </summary>
public sealed class StopFailure(string code, string context, Exception? cause = null)
    : Exception(cause is null ? context : $"{context}: {cause.Message}", cause)
{
    public string Code { get; } = code;

    /// <summary>The instance of the container the failing stop found, once it had found one.</summary>
    public string? InstanceId { get; set; }

    public IReadOnlyList<string> Causes
    {
        get
        {
            var causes = new List<string>();
            for (Exception? e = this; e is not null; e = e.InnerException)
            {
                if (causes.Count == 0 || causes[^1] != e.Message)
                {
                    causes.Add(e.Message);
                }
            }

            return causes;
        }
    }
}
