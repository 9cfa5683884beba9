namespace EventRuntime.Node.Containers;

/// <summary>The last status the agent recorded for a container (the runtime's state is the live truth).</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Paused,
    Stopped,
}
