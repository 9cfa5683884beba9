using System.Runtime.InteropServices;

namespace EventRuntime.Cli;

/// <summary>
/// Ctrl-C and SIGTERM cancel the running command instead of killing the process, so that it can say
/// what it was doing and close its connection. A second signal ends the process at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource cancel = new();
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;

    public Interruption()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => cancel.Token;

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (!cancel.IsCancellationRequested)
        {
            context.Cancel = true;
            cancel.Cancel();
        }
    }
}
