namespace EventRuntime.Node.Runtime;

/// <summary>
/// The runtimes a container may be created with, by the name its record keeps: <see cref="Runc"/> is the
/// node's configured runc-shaped runtime (<c>Runtime:Path</c>), <see cref="Runsc"/> gVisor's sandbox.
/// Records of containers created before the choice existed name the runtime binary; they belong to the default.
/// </summary>
public sealed class RuntimeCatalog(IOciRuntime runc, IOciRuntime runsc)
{
    public const string Runc = "runc";
    public const string Runsc = "runsc";

    public static readonly IReadOnlyList<string> Names = [Runc, Runsc];

    public IOciRuntime Default => runc;

    /// <summary>The runtime of a container whose record names <paramref name="runtimeName"/>.</summary>
    public IOciRuntime For(string runtimeName) => runtimeName == Runsc ? runsc : runc;
}
