using EventRuntime.Node.Runtime;

namespace EventRuntime.IntegrationTests.Security;

/// <summary>
/// The real runtime, except that every call for one container ends in an
/// <see cref="OperationCanceledException"/> of the runtime's own making, as a runtime client whose
/// internal deadline fired would throw. The stop worker lets cancellations through (they normally mean
/// shutdown), so this is how its consumer faults for real and MassTransit sends a Fault&lt;ExecuteStop&gt;.
/// </summary>
internal sealed class CancellingRuntime(IOciRuntime inner, string cancelledContainer) : IOciRuntime
{
    public const string Reason = "the runtime's own deadline cancelled the call";

    public string Name => inner.Name;

    public Task<RuntimeState> StateAsync(string containerId, CancellationToken cancellationToken) =>
        Cancelled(containerId) ?? inner.StateAsync(containerId, cancellationToken);

    public Task KillAsync(string containerId, string signal, bool all, CancellationToken cancellationToken) =>
        Cancelled(containerId) ?? inner.KillAsync(containerId, signal, all, cancellationToken);

    public Task PauseAsync(string containerId, CancellationToken cancellationToken) =>
        Cancelled(containerId) ?? inner.PauseAsync(containerId, cancellationToken);

    public Task ResumeAsync(string containerId, CancellationToken cancellationToken) =>
        Cancelled(containerId) ?? inner.ResumeAsync(containerId, cancellationToken);

    public Task<MonitorProcess> CreateAsync(string containerId, string bundle, MonitorFiles files, CancellationToken cancellationToken) =>
        Cancelled<MonitorProcess>(containerId) ?? inner.CreateAsync(containerId, bundle, files, cancellationToken);

    public Task WriteDefaultSpecAsync(string bundle, CancellationToken cancellationToken) => inner.WriteDefaultSpecAsync(bundle, cancellationToken);

    public Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        Cancelled(containerId) ?? inner.StartAsync(containerId, cancellationToken);

    public Task DeleteAsync(string containerId, bool force, CancellationToken cancellationToken) =>
        Cancelled(containerId) ?? inner.DeleteAsync(containerId, force, cancellationToken);

    private Task<RuntimeState>? Cancelled(string containerId) => Cancelled<RuntimeState>(containerId);

    private Task<T>? Cancelled<T>(string containerId) =>
        containerId == cancelledContainer ? Task.FromException<T>(new OperationCanceledException(Reason)) : null;
}
