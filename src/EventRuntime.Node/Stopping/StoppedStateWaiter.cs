using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Stopping;

/// <summary>
/// Waits until the runtime itself reports "stopped". For runc that is at once; a VM-based runtime
/// (Kata, Clear Containers) reports it only after it has torn the VM's side down, and only its
/// <c>state</c> call tells when that happened. Bounded by <see cref="StopOptions.StateWaitDeadline"/>.
/// </summary>
internal sealed class StoppedStateWaiter(IOciRuntime runtime, StopOptions options)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task WaitAsync(string containerId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.StateWaitDeadline;
        while (true)
        {
            RuntimeState state;
            try
            {
                state = await runtime.StateAsync(containerId, cancellationToken).ConfigureAwait(false);
            }
            catch (RuntimeException e) when (e.Kind == RuntimeErrorKind.NotFound)
            {
                return; // deleted from the runtime: nothing of it can still run
            }

            if (state.IsStopped)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"{runtime.Name} still reports \"{state.Status.ToString().ToLowerInvariant()}\" after {options.StateWaitDeadline.TotalSeconds:0.###} s");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
