using System.Diagnostics;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using EventRuntime.Node.Sagas;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Operations;

public sealed record CheckResult(string Name, bool Healthy, string Description);

/// <summary>
/// What "ready" means for a node agent besides the bus (MassTransit's own check): the runtime binary answers,
/// the state directory takes a real write, the saga database is open and still the file at its path, and the command
/// queue is consumed. Each
/// check is one method, run as an ASP.NET Core health check by <see cref="ReadinessHealthCheck"/> (registered in
/// <see cref="NodeHealthChecks"/>) for /health/ready and the systemd watchdog.
/// </summary>
public sealed class ReadinessChecks(IOptions<RuntimeOptions> runtime, NodePaths paths, SagaDatabase sagas, CommandConsumerWatchdog consumers)
{
    private static readonly TimeSpan RuntimeProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<CheckResult> RuntimeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProcessRunner.RunAsync(runtime.Value.Path, ["--version"], RuntimeProbeTimeout, cancellationToken).ConfigureAwait(false);
            var firstLine = result.StdOut.Split('\n')[0].Trim();
            return new CheckResult("runtime", result.ExitCode == 0, result.ExitCode == 0 ? firstLine : $"{runtime.Value.Path} --version exited {result.ExitCode}");
        }
        catch (Exception e) when (e is RuntimeException or TimeoutException)
        {
            return new CheckResult("runtime", false, e.Message);
        }
    }

    /// <summary>Whether the command queue is consumed, as <see cref="CommandConsumerWatchdog"/> last found.</summary>
    public CheckResult CommandConsumer() =>
        consumers.Problem is { } problem
            ? new CheckResult("command-consumer", false, problem)
            : new CheckResult("command-consumer", true, consumers.Reconnects == 0 ? "consumed" : $"consumed (endpoint connected again {consumers.Reconnects} time(s))");

    public CheckResult StateDirectory() =>
        NodeOptionsValidator.WriteProblem(paths.StateDirectory) is { } problem
            ? new CheckResult("state-directory", false, $"{paths.StateDirectory} is not writable: {problem}")
            : new CheckResult("state-directory", true, paths.StateDirectory);

    public async Task<CheckResult> SagaDatabaseAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await sagas.InTransactionAsync(_ => Task.FromResult(true), cancellationToken).ConfigureAwait(false);
            if (await sagas.LossProblemAsync(cancellationToken).ConfigureAwait(false) is { } lost)
            {
                return new CheckResult("saga-database", false, lost);
            }

            return new CheckResult("saga-database", true, $"{sagas.Path} ({clock.ElapsedMilliseconds} ms)");
        }
        catch (Exception e) when (e is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            return new CheckResult("saga-database", false, $"{sagas.Path}: {e.Message}");
        }
    }
}
