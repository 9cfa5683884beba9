using System.Text.Json.Serialization;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Containers;

/// <summary>
/// A container as the node knows it, persisted as one JSON file per container.
/// <code>
///   Created ──start──▶ Running ──stop──▶ Stopped
///                        │  ▲
///                  pause ▼  │ resume
///                       Paused
/// </code>
/// <see cref="FormatVersion"/> is bumped on any incompatible change; readers refuse newer versions.
/// </summary>
public sealed record ContainerRecord
{
    public const int CurrentFormatVersion = 1;

    public ContainerRecord()
        : this(CurrentFormatVersion)
    {
    }

    /// <summary>
    /// The one place of these defaults, for new records and for the record's reader (<see cref="ContainerRecordJsonContext"/>)
    /// of a file that lacks these properties (older records): generated readers set every init-only property they are not
    /// given to its type's default, so property initializers would be lost; constructor parameters keep theirs.
    /// </summary>
    [JsonConstructor]
    public ContainerRecord(int formatVersion = CurrentFormatVersion, string stopSignal = Signals.Term, IReadOnlyDictionary<string, string>? labels = null)
    {
        FormatVersion = formatVersion;
        StopSignal = stopSignal;
        Labels = labels ?? new Dictionary<string, string>();
    }

    public int FormatVersion { get; init; }

    public required string Id { get; init; }

    /// <summary>
    /// Made once, when the container is created, and never changed: a container deleted and created again
    /// under the same <see cref="Id"/> is another instance. Null in records written before instance ids.
    /// </summary>
    public string? InstanceId { get; init; }

    /// <summary>The OCI bundle directory holding config.json.</summary>
    public required string Bundle { get; init; }

    /// <summary>The read-only lower directory of the overlay root.</summary>
    public required string RootfsLower { get; init; }

    /// <summary>Where the container's overlay root is mounted.</summary>
    public required string RootfsMount { get; init; }

    /// <summary>The runtime the container was created with: <c>runc</c> (the node's <c>Runtime:Path</c>) or <c>runsc</c>; older records name the binary.</summary>
    public required string Runtime { get; init; }

    /// <summary>The container's <c>linux.cgroupsPath</c> (<see cref="NodePaths.CgroupOf"/>); null for containers created before it was set.</summary>
    public string? CgroupsPath { get; init; }

    /// <summary>
    /// Its labels (<c>eventruntime-node create --label key=value</c>), which fleet questions select by
    /// (<c>ert ps --selector</c>, <c>ert stop --selector</c>); empty in records written before labels.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Signal that asks the container to stop (its image's STOPSIGNAL); SIGTERM unless configured.</summary>
    public string StopSignal { get; init; }

    public ContainerStatus Status { get; init; }

    /// <summary>Whether the root was still mounted when the record was written.</summary>
    public bool StorageMounted { get; init; }

    /// <summary>The container's exit code as its monitor reported it (128 + signal for a signal death); null while it runs, or when unknown.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The container's conmon; null for containers created before the node ran them under conmon.</summary>
    public MonitorProcess? Monitor { get; init; }

    /// <summary>Where conmon writes the exit status (<c>&lt;state&gt;/exits/&lt;id&gt;</c>); null without a monitor.</summary>
    public string? ExitFile { get; init; }

    /// <summary>The container's output in the CRI log format; null without a monitor.</summary>
    public string? LogPath { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
