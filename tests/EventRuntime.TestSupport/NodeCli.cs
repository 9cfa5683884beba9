using System.Diagnostics;

namespace EventRuntime.TestSupport;

/// <summary>The node executable's local verbs (create, list, logs, delete), run as a process on a <see cref="RuncSandbox"/>'s paths.</summary>
public static class NodeCli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>
    /// Runs <c>eventruntime-node VERB ARGS</c> with the sandbox's node, state directory and runtime root; bounded by
    /// <paramref name="within"/>. The executable is the managed one the tests built, unless <paramref name="executable"/>
    /// names another (the published native front).
    /// </summary>
    public static async Task<Result> RunAsync(RuncSandbox sandbox, IEnumerable<string> arguments, TimeSpan? within = null, string? executable = null)
    {
        var startInfo = new ProcessStartInfo(executable ?? AgentProcess.ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var args = arguments.ToList();
        var separator = args.IndexOf("--");
        var before = separator < 0 ? args : args[..separator];
        foreach (var argument in before.Concat(["--node", sandbox.Paths.NodeName, "--state-dir", sandbox.Paths.StateDirectory,
                     "--runtime-root", sandbox.RuntimeOptions.Root]).Concat(separator < 0 ? [] : args[separator..]))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"eventruntime-node {string.Join(' ', args)} did not exit within {(within ?? TimeSpan.FromSeconds(60)).TotalSeconds:0} s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
