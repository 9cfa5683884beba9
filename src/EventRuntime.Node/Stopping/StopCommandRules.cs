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

        return command.TimeoutSeconds < 0
            ? $"invalid command: timeoutSeconds is {command.TimeoutSeconds}; it must be 0 (kill now) or more"
            : null;
    }
}
