using System.Diagnostics;
using EventRuntime.Node.Storage;
using EventRuntime.TestSupport;

namespace EventRuntime.Node.Tests.Storage;

// Real overlay mounts; the truth is read back from /proc/self/mountinfo.
public sealed class OverlayStorageTests : IAsyncLifetime
{
    private readonly RuncSandbox sandbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var leftovers = sandbox.LeftoverMounts();
        await sandbox.DisposeAsync();
        Assert.Empty(leftovers);
    }

    [Fact]
    public void Mount_shows_the_lower_directory_and_appears_in_mountinfo()
    {
        var merged = sandbox.Storage.Mount("c1", sandbox.Rootfs);

        Assert.True(File.Exists(Path.Combine(merged, "bin", "busybox")));
        Assert.Contains(merged, MountInfo.MountPoints());
        Assert.True(sandbox.Storage.IsMounted("c1"));

        sandbox.Storage.Unmount("c1");
    }

    [Fact]
    public void Writes_go_to_the_container_layer_not_the_shared_root()
    {
        var merged = sandbox.Storage.Mount("c1", sandbox.Rootfs);
        File.WriteAllText(Path.Combine(merged, "tmp", "written"), "x");

        Assert.False(File.Exists(Path.Combine(sandbox.Rootfs, "tmp", "written")));

        sandbox.Storage.Unmount("c1");
    }

    [Fact]
    public void Unmount_removes_the_mount_and_a_second_unmount_succeeds()
    {
        var merged = sandbox.Storage.Mount("c1", sandbox.Rootfs);

        sandbox.Storage.Unmount("c1");
        Assert.DoesNotContain(merged, MountInfo.MountPoints());

        sandbox.Storage.Unmount("c1");
        Assert.False(sandbox.Storage.IsMounted("c1"));
    }

    [Fact]
    public void Unmount_of_a_never_mounted_container_succeeds()
    {
        sandbox.Storage.Unmount("never-mounted");

        Assert.False(sandbox.Storage.IsMounted("never-mounted"));
    }

    [Fact]
    public void Unmount_of_a_busy_mount_is_a_typed_failure_naming_the_mount_point()
    {
        var merged = sandbox.Storage.Mount("busy", sandbox.Rootfs);
        using var holder = Process.Start(new ProcessStartInfo("/bin/sleep", "60") { WorkingDirectory = merged })!;
        try
        {
            var error = Assert.Throws<StorageException>(() => sandbox.Storage.Unmount("busy"));

            Assert.Equal(StorageErrorKind.Busy, error.Kind);
            Assert.Equal(merged, error.MountPoint);
            Assert.Contains(merged, error.Message, StringComparison.Ordinal);
            Assert.True(sandbox.Storage.IsMounted("busy"));
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }

        sandbox.Storage.Unmount("busy");
        Assert.False(sandbox.Storage.IsMounted("busy"));
    }

    [Fact]
    public void Mount_of_a_missing_lower_directory_fails_clearly()
    {
        var error = Assert.Throws<StorageException>(() => sandbox.Storage.Mount("c1", Path.Combine(sandbox.Root, "nope")));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"/a\040b", "/a b")]
    [InlineData(@"/plain", "/plain")]
    [InlineData(@"/tab\011x\134y", "/tab\tx\\y")]
    public void Mountinfo_escapes_are_decoded(string field, string expected) => Assert.Equal(expected, MountInfo.Unescape(field));
}
