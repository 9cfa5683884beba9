using System.Diagnostics;

namespace EventRuntime.TestSupport;

/// <summary>infra/rabbitmq/add-node.sh run as an administrator runs it, against the rabbitmqctl of a broker container.</summary>
public static class AddNodeScript
{
    /// <param name="container">The broker's container (its rabbitmqctl is reached with <c>docker exec -i</c>).</param>
    /// <param name="node">The node to provision.</param>
    /// <param name="password">Its broker user's password.</param>
    /// <param name="queueType">QUEUE_TYPE (classic or quorum); null leaves it unset.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(string container, string node, string password, string? queueType = null)
    {
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(Repository.Root, "infra", "rabbitmq", "add-node.sh"), node, password })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["RABBITMQCTL"] = $"docker exec -i {container} rabbitmqctl";
        if (queueType is not null)
        {
            startInfo.Environment["QUEUE_TYPE"] = queueType;
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await errors);
    }
}
