using System.Diagnostics;
using EventRuntime.Node.Kernel;

namespace EventRuntime.Node.Runtime;

/// <summary>
/// <see cref="IOciRuntime"/> over the runc command line (crun takes the same arguments). Status reads go to
/// runc's state file instead when <see cref="RuntimeOptions.StatusSource"/> says so (<see cref="RuncStateFile"/>).
/// Containers are created under conmon (<see cref="ConmonCommand"/>), which runs the runtime's create itself.
/// Every invocation passes <c>--root</c> so that agents and tests never see each other's containers.
/// A container id is validated before runc is started, and always follows <c>--</c>, so that even an id
/// that slipped past validation is read by runc as an id, never as an option such as <c>--root=/</c>
/// (runc 1.1.5 accepts <c>--</c> before the id for state, kill, pause, resume, create, start and delete).
/// </summary>
public sealed class RuncRuntime(RuntimeOptions options) : IOciRuntime
{
    public string Name => System.IO.Path.GetFileName(options.Path);

    public async Task<RuntimeState> StateAsync(string containerId, CancellationToken cancellationToken)
    {
        if (options.ReadsStateFile)
        {
            ValidateId("state", containerId);
            try
            {
                return await TimedAsync("state-file", containerId,
                    () => Task.FromResult(RuncStateFile.Read(options.Root, containerId, Name))).ConfigureAwait(false);
            }
            catch (FormatException)
            {
                // A runc whose files differ from 1.1's: its own command still knows; the metric shows the miss.
            }
        }

        var result = await RunAsync("state", containerId, [], [], cancellationToken).ConfigureAwait(false);
        try
        {
            return RuntimeState.Parse(result.StdOut);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw new RuntimeException(RuntimeErrorKind.Failed, $"{Name} state: unreadable output: {e.Message}", e);
        }
    }

    public Task KillAsync(string containerId, string signal, bool all, CancellationToken cancellationToken) =>
        RunAsync("kill", containerId, all ? ["--all"] : [], [signal], cancellationToken);

    public Task PauseAsync(string containerId, CancellationToken cancellationToken) =>
        RunAsync("pause", containerId, [], [], cancellationToken);

    public Task ResumeAsync(string containerId, CancellationToken cancellationToken) =>
        RunAsync("resume", containerId, [], [], cancellationToken);

    public Task WriteDefaultSpecAsync(string bundle, CancellationToken cancellationToken) =>
        RunAsync("spec", ["--bundle", bundle], null, cancellationToken);

    public Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        RunAsync("start", containerId, [], [], cancellationToken);

    public Task DeleteAsync(string containerId, bool force, CancellationToken cancellationToken) =>
        RunAsync("delete", containerId, force ? ["--force"] : [], [], cancellationToken);

    public async Task<MonitorProcess> CreateAsync(string containerId, string bundle, MonitorFiles files, CancellationToken cancellationToken)
    {
        ValidateId("create", containerId);
        var runtimePath = ExecutablePath.Resolve(options.Path)
            ?? throw new RuntimeException(RuntimeErrorKind.Failed, $"{Name} create: not called: {options.Path} is not an executable on PATH");
        var monitorPath = ExecutablePath.Resolve(options.MonitorPath)
            ?? throw new RuntimeException(RuntimeErrorKind.Failed, $"{Name} create: not called: the container monitor {options.MonitorPath} is not installed (Debian package conmon)");
        PrepareFiles(containerId, files);
        var arguments = ConmonCommand.Arguments(containerId, bundle, runtimePath, ["--root=" + options.Root, .. options.GlobalArguments], files);
        return await TimedAsync("create", containerId,
            () => ConmonCreate.RunAsync(monitorPath, arguments, files, Name, options.CommandTimeout, cancellationToken)).ConfigureAwait(false);
    }

    // A container created again under an old id must not be mistaken for the old one by its leftovers.
    private static void PrepareFiles(string containerId, MonitorFiles files)
    {
        Directory.CreateDirectory(files.ExitDirectory);
        Directory.CreateDirectory(files.SocketDirectory);
        foreach (var path in new[] { files.PidFile, files.MonitorPidFile, files.RuntimeLog, files.ExitFileOf(containerId) })
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.Delete(path);
        }
    }

    // VERB [options] -- ID [operands]
    private async Task<ProcessResult> RunAsync(string verb, string containerId, string[] options, string[] operands, CancellationToken cancellationToken)
    {
        ValidateId(verb, containerId);
        return await RunAsync(verb, [.. options, "--", containerId, .. operands], containerId, cancellationToken).ConfigureAwait(false);
    }

    private Task<ProcessResult> RunAsync(string verb, string[] verbArguments, string? containerId, CancellationToken cancellationToken) =>
        TimedAsync(verb, containerId, () => InvokeAsync(verb, verbArguments, cancellationToken));

    // One span and one duration per runtime call, however it is answered.
    private async Task<T> TimedAsync<T>(string verb, string? containerId, Func<Task<T>> call)
    {
        if (!options.RecordsTelemetry)
        {
            return await call().ConfigureAwait(false);
        }

        using var activity = NodeTelemetry.Source.StartActivity($"{Name} {verb}");
        activity?.SetTag("eventruntime.runtime.verb", verb);
        activity?.SetTag("eventruntime.container.id", containerId);
        var started = Stopwatch.GetTimestamp();
        var result = "ok";
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RuntimeException e)
        {
            result = e.Kind.ToString();
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        catch (FormatException e)
        {
            result = "FormatError";
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            NodeTelemetry.RuntimeCallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("verb", verb), new KeyValuePair<string, object?>("result", result));
        }
    }

    private async Task<ProcessResult> InvokeAsync(string verb, string[] verbArguments, CancellationToken cancellationToken)
    {
        string[] arguments = ["--root", options.Root, .. options.GlobalArguments, verb, .. verbArguments];
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(options.Path, arguments, options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new RuntimeException(RuntimeErrorKind.TimedOut, $"{Name} {verb}: {e.Message}", e);
        }
        catch (RuntimeException e)
        {
            throw new RuntimeException(e.Kind, $"{Name} {verb}: {e.Message}", e);
        }

        if (result.ExitCode != 0)
        {
            throw new RuntimeException(RuntimeErrorClassifier.Classify(result.StdErr), $"{Name} {verb}: {Describe(result.StdErr, result.ExitCode)}");
        }

        return result;
    }

    // The last line of defence: callers validate too, but no id reaches runc without this check.
    private void ValidateId(string verb, string containerId)
    {
        if (ContainerId.Problem(containerId) is { } problem)
        {
            throw new RuntimeException(RuntimeErrorKind.Failed, $"{Name} {verb}: not called: {problem}");
        }
    }

    private static string Describe(string output, int exitCode)
    {
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return string.IsNullOrEmpty(lastLine) ? $"exit status {exitCode}" : lastLine;
    }
}
