using System.Text.Json;
using System.Text.Json.Serialization;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Tests.Containers;

// The record files are read and written with generated JSON (the native front cannot use reflection). They must read
// every file the former reflection serializer read, to the same record, older files without the later properties
// included, and be written to the same text.
public sealed class ContainerRecordJsonTests : IDisposable
{
    private static readonly JsonSerializerOptions FormerOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string stateDirectory = Directory.CreateTempSubdirectory("eventruntime-record-json-").FullName;

    public static TheoryData<string, string> Files => new()
    {
        { "a record of the first format, without the later properties", """{"id":"web","bundle":"/b","rootfsLower":"/l","rootfsMount":"/m","runtime":"/usr/sbin/runc","status":"Running"}""" },
        { "a record with an explicit version, signal and labels", """{"formatVersion":1,"id":"web","bundle":"/b","rootfsLower":"/l","rootfsMount":"/m","runtime":"runc","stopSignal":"SIGQUIT","labels":{"app":"web"},"status":"Stopped","exitCode":137}""" },
        { "a record with a monitor and dates", """{"id":"web","instanceId":"0f8fad5b-d9cb-469f-a165-70867728950e","bundle":"/b","rootfsLower":"/l","rootfsMount":"/m","runtime":"runsc","monitor":{"pid":42,"startTime":12345},"createdAt":"2026-12-01T16:00:00+01:00","finishedAt":"2026-12-01T16:00:02Z","status":"Paused","storageMounted":true}""" },
        { "a record with null labels", """{"id":"web","bundle":"/b","rootfsLower":"/l","rootfsMount":"/m","runtime":"runc","labels":null}""" },
    };

    public void Dispose() => Directory.Delete(stateDirectory, recursive: true);

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_reads_as_the_reflection_serializer_read_it(string description, string json)
    {
        _ = description;
        var store = new ContainerStore(stateDirectory);
        File.WriteAllText(Path.Combine(stateDirectory, "containers", "web.json"), json);
        var former = JsonSerializer.Deserialize<ContainerRecord>(json, FormerOptions)!;

        var read = store.Get("web");

        // Labels compared by content (records compare dictionaries by reference). Null labels: the former reader left
        // them null, which no code expected; now they are empty.
        Assert.Equal(former with { Labels = read.Labels }, read);
        Assert.Equal(former.Labels ?? new Dictionary<string, string>(), read.Labels);
        Assert.Equal(ContainerRecord.CurrentFormatVersion, read.FormatVersion);
    }

    [Fact]
    public void A_saved_record_is_the_text_the_reflection_serializer_wrote()
    {
        var store = new ContainerStore(stateDirectory);
        var record = new ContainerRecord
        {
            Id = "web",
            InstanceId = "0f8fad5b-d9cb-469f-a165-70867728950e",
            Bundle = "/b",
            RootfsLower = "/l",
            RootfsMount = "/m",
            Runtime = "runc",
            CgroupsPath = "/eventruntime/n/web",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            StopSignal = "SIGQUIT",
            Status = ContainerStatus.Stopped,
            ExitCode = 137,
            Monitor = new MonitorProcess(42, 12345),
            ExitFile = "/state/exits/web",
            LogPath = "/state/bundles/web/container.log",
            CreatedAt = DateTimeOffset.UnixEpoch,
            FinishedAt = new DateTimeOffset(2026, 12, 1, 16, 0, 2, TimeSpan.FromHours(1)),
        };

        store.Save(record);

        var written = File.ReadAllText(Path.Combine(stateDirectory, "containers", "web.json"));
        var saved = JsonSerializer.Deserialize<ContainerRecord>(written, FormerOptions)!;
        Assert.Equal(JsonSerializer.Serialize(saved, FormerOptions), written);
        Assert.Equal(record with { UpdatedAt = saved.UpdatedAt, Labels = saved.Labels }, saved);
        Assert.Equal(record.Labels, saved.Labels);
    }
}
