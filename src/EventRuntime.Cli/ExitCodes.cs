namespace EventRuntime.Cli;

/// <summary>ert's exit codes; scripts depend on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for happened (every container stopped, every command sent).</summary>
    public const int Ok = 0;

    /// <summary>Something asked for did not happen: a stop failed or got no outcome, no agent was heard.</summary>
    public const int Failed = 1;

    /// <summary>The command line or the configuration is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The broker cannot be reached or refuses the login.</summary>
    public const int BrokerUnreachable = 3;

    /// <summary>Interrupted with Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
