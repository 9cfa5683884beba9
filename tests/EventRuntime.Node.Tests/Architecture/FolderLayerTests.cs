using System.Text.RegularExpressions;
using EventRuntime.TestSupport;

namespace EventRuntime.Node.Tests.Architecture;

/// <summary>
/// The folders of src/EventRuntime.Node are layers (README, "Architecture"): a file may use the folders below
/// its own, never a folder above it or beside it, and nothing but the composition root uses the root.
/// </summary>
public sealed partial class FolderLayerTests
{
    // Top to bottom; folders on one line are peers and must not use each other either.
    private static readonly string[][] Layers =
    [
        ["(root)"],
        ["CommandLine", "Operations", "Presence"],
        ["Bus"],
        ["Sagas"],
        ["Stopping", "Creating"],
        ["Security", "Containers"],
        ["Runtime", "Storage"],
        ["Kernel"],
    ];

    private static readonly string Source = Path.Combine(Repository.Root, "src", "EventRuntime.Node");

    [GeneratedRegex(@"\bEventRuntime\.Node\.(?<folder>[A-Z][A-Za-z]+)\b")]
    private static partial Regex FolderReference();

    [GeneratedRegex(@"\b(NodeHostingExtensions|NodeAgentHost)\b")]
    private static partial Regex RootReference();

    [Fact]
    public void Every_folder_is_a_layer_of_the_list()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order().ToList();

        Assert.Equal(Layers.SelectMany(l => l).Where(f => f != "(root)").Order(), folders);
    }

    [Fact]
    public void No_file_uses_a_folder_above_or_beside_its_own()
    {
        var level = Layers.SelectMany((names, i) => names.Select(name => (name, i))).ToDictionary(x => x.name, x => x.i);
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var relative = Path.GetRelativePath(Source, file);
            var folder = relative.Contains('/') ? relative[..relative.IndexOf('/')] : "(root)";
            var text = File.ReadAllText(file);
            // The file's own namespace line names its folder; every other EventRuntime.Node.X must lie below it.
            var used = FolderReference().Matches(text).Select(m => m.Groups["folder"].Value).Where(used => used != folder).Distinct();
            violations.AddRange(used.Where(used => !level.TryGetValue(used, out var l) || l <= level[folder]).Select(used => $"{relative} uses {used}"));
            if (folder != "(root)" && RootReference().IsMatch(text))
            {
                violations.Add($"{relative} uses the composition root");
            }
        }

        Assert.Empty(violations);
    }
}
