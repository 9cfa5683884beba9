namespace EventRuntime.Node.Runtime;

/// <summary>Where the runtime binary is and how long one call may take.</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Runtime";

    /// <summary>Path or name of the runc-compatible binary.</summary>
    public string Path { get; set; } = "runc";

    /// <summary>Value of the runtime's <c>--root</c>: where it keeps container state. One per agent.</summary>
    public string Root { get; set; } = "/run/eventruntime/runc";

    /// <summary>How long a single runtime call may run before it is killed.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
