using EventRuntime.Contracts;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Security;

namespace EventRuntime.Node.Stopping;

/// <summary>The checks a <see cref="StopContainer"/> passes before anything on the node is touched.</summary>
public static class StopCommandRules
{
    /// <summary>Returns null for a valid command, otherwise the reason it is refused.</summary>
    public static string? Problem(StopContainer command, string nodeName, CommandSignatureCheck? signatures = null)
    {
        // First: on a node that requires signatures, nothing of an unsigned or forged command is worth checking.
        if (signatures?.Problem(command) is { } signatureProblem)
        {
            return signatureProblem;
        }

        if (command.CommandId == Guid.Empty)
        {
            return "invalid command: commandId is missing";
        }

        if (!string.Equals(command.Node, nodeName, StringComparison.Ordinal))
        {
            return $"invalid command: it is addressed to node \"{HostileText.Quoted(command.Node, 64)}\" but reached node \"{nodeName}\"";
        }

        if (ContainerId.Problem(command.ContainerId) is { } idProblem)
        {
            return $"invalid command: {idProblem}";
        }

        if (command.TimeoutSeconds < 0)
        {
            return $"invalid command: timeoutSeconds is {command.TimeoutSeconds}; it must be 0 (kill now) or more";
        }

        if (command.InstanceId is { } instanceId && !IsInstanceId(instanceId))
        {
            return $"invalid command: instanceId \"{HostileText.Quoted(instanceId, 64)}\" is not an instance id (1 to {MaxInstanceIdLength} letters, digits and hyphens)";
        }

        return command.DrainSeconds switch
        {
            < 0 => $"invalid command: drainSeconds is {command.DrainSeconds}; it must be 0 or more",
            { } drain when drain > command.TimeoutSeconds =>
                $"invalid command: drainSeconds {drain} is longer than timeoutSeconds {command.TimeoutSeconds}; the drain is counted inside the grace period",
            _ => null,
        };
    }

    private const int MaxInstanceIdLength = 64;

    private static bool IsInstanceId(string text) =>
        text.Length is > 0 and <= MaxInstanceIdLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
