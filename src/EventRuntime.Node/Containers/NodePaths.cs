using System.Security.Cryptography;
using System.Text;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Containers;

/// <summary>The layout of a node's state directory, and the host-wide names derived from the node.</summary>
public sealed class NodePaths(string stateDirectory, string nodeName)
{
    /// <summary>The cgroup parent of every container EventRuntime creates on this host.</summary>
    public const string CgroupParent = "/eventruntime";

    public string StateDirectory { get; } = Path.GetFullPath(stateDirectory);

    public string NodeName { get; } = nodeName;

    public string Storage => Path.Combine(StateDirectory, "storage");

    /// <summary>Throws <see cref="ArgumentException"/> for an id that is not a valid container id: it must not name a path outside the state directory.</summary>
    public string BundleOf(string containerId)
    {
        ContainerId.Validate(containerId);
        return Path.Combine(StateDirectory, "bundles", containerId);
    }

    /// <summary>The container's output in the CRI log format, as conmon writes it.</summary>
    public string LogOf(string containerId) => Path.Combine(BundleOf(containerId), "container.log");

    /// <summary>Where conmon writes each container's exit status, as a file named after the container.</summary>
    public string ExitDirectory => Path.Combine(StateDirectory, "exits");

    /// <summary>The files conmon keeps for <paramref name="containerId"/>: log, exit status, pid files, attach socket.</summary>
    public MonitorFiles MonitorFilesOf(string containerId)
    {
        var bundle = BundleOf(containerId);
        return new MonitorFiles(
            LogPath: LogOf(containerId),
            ExitDirectory: ExitDirectory,
            PidFile: Path.Combine(bundle, "init.pid"),
            MonitorPidFile: Path.Combine(bundle, "conmon.pid"),
            RuntimeLog: Path.Combine(bundle, "runtime.log"),
            SocketDirectory: Path.Combine(StateDirectory, "sockets"));
    }

    /// <summary>
    /// The container's <c>linux.cgroupsPath</c>: <c>/eventruntime/&lt;node&gt;-&lt;state&gt;/&lt;id&gt;</c>. Cgroups are
    /// host-wide while ids are only unique within one state directory, so the node's segment carries both the
    /// node's name (for people reading <c>/sys/fs/cgroup</c>) and a hash of the state directory (two agents, or
    /// two test sandboxes, with the same node name must still not share a cgroup: runc would put both
    /// containers in it, and <c>kill --all</c> or a freeze of one would hit the other).
    /// </summary>
    public string CgroupOf(string containerId)
    {
        ContainerId.Validate(containerId);
        return $"{NodeCgroup}/{containerId}";
    }

    /// <summary>The parent of this node's container cgroups.</summary>
    public string NodeCgroup => $"{CgroupParent}/{NodeName}-{StateDirectoryHash}";

    private string StateDirectoryHash =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StateDirectory)))[..8];
}
