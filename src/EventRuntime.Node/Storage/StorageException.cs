namespace EventRuntime.Node.Storage;

/// <summary>Why a storage operation failed; callers branch on it.</summary>
public enum StorageErrorKind
{
    /// <summary>The mount point is in use (EBUSY): a process still holds files or its cwd in it.</summary>
    Busy,

    /// <summary>Any other failure; the message carries errno's text.</summary>
    Failed,
}

public sealed class StorageException(StorageErrorKind kind, string mountPoint, string message) : Exception(message)
{
    public StorageErrorKind Kind { get; } = kind;

    public string MountPoint { get; } = mountPoint;
}
