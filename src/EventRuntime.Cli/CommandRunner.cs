using EventRuntime.Client;

namespace EventRuntime.Cli;

/// <summary>Turns every failure of a command into one line on stderr and its exit code; no stack traces.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(TextWriter stderr, Func<Task<int>> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"ert: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (BrokerUnavailableException e)
        {
            stderr.WriteLine($"ert: {e.Message}");
            return ExitCodes.BrokerUnreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("ert: interrupted (commands already sent are still carried out by their agents)");
            return ExitCodes.Interrupted;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"ert: {e.Message}");
            return ExitCodes.Usage;
        }
#pragma warning disable CA1031 // The last resort of a command-line tool: one line instead of a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"ert: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
