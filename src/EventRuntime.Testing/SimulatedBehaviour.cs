namespace EventRuntime.Testing;

/// <summary>How a simulated container answers a stop; each keeps the stop semantics a real container has.</summary>
public enum SimulatedBehaviour
{
    /// <summary>Exits on SIGTERM (exit code 0): the stop ends as soon as the signal arrives.</summary>
    TrapsTerm,

    /// <summary>Ignores SIGTERM: the stop waits out its grace period and ends with SIGKILL (exit code 137).</summary>
    IgnoresTerm,

    /// <summary>Paused (frozen): a stop without resume-paused fails with <c>Paused</c>; with it, the container is resumed and stops on SIGTERM.</summary>
    Paused,

    /// <summary>Exits on SIGTERM, but the runtime goes on reporting it running for a while, as VM-based runtimes do.</summary>
    SlowToReportStopped,
}
