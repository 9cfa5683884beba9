using System.Globalization;
using EventRuntime.Node.Containers;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.CommandLine;

/// <summary>
/// What the read-only verbs (list, logs) use of this node — its container records and its runtimes — made from
/// <see cref="NodeSettings"/> on first use, as the host's registrations of the container layer make them,
/// with the same validators. On first use, not at construction: a verb refuses its own usage before the settings.
/// Binds by hand the few settings these verbs read (sections Node and Runtime), with the conversions and the error of
/// the configuration binder; LocalNodeTests compares the result with the host's options, case by case.
/// </summary>
internal sealed class LocalNode(NodeSettings settings)
{
    private NodeOptions? node;
    private RuntimeOptions? runtime;
    private ContainerStore? store;
    private RuntimeCatalog? runtimes;

    /// <summary>This node as the host in <paramref name="hostDirectory"/> (where its appsettings files are) would see it.</summary>
    public static LocalNode Of(NodeCommandLine commandLine, string hostDirectory) => new(NodeSettings.Read(commandLine.Settings, hostDirectory));

    /// <summary>The node's settings, validated as the host validates them.</summary>
    public NodeOptions Node => node ??= Validated(BindNode(), new NodeOptionsValidator());

    /// <summary>The runtime's settings, validated as the host validates them.</summary>
    public RuntimeOptions Runtime => runtime ??= Validated(BindRuntime(), new RuntimeOptionsValidator());

    public ContainerStore Store => store ??= new ContainerStore(new NodePaths(Node.StateDirectory, Node.Name).StateDirectory);

    public RuntimeCatalog Runtimes => runtimes ??= new RuntimeCatalog(new RuncRuntime(Runtime), new RuncRuntime(Runtime.Runsc.ToRuntimeOptions(Runtime)));

    private NodeOptions BindNode()
    {
        const string section = NodeOptions.Section;
        var options = new NodeOptions();
        options.Name = String($"{section}:{nameof(NodeOptions.Name)}") ?? options.Name;
        options.StateDirectory = String($"{section}:{nameof(NodeOptions.StateDirectory)}") ?? options.StateDirectory;
        options.HeartbeatInterval = Duration($"{section}:{nameof(NodeOptions.HeartbeatInterval)}") ?? options.HeartbeatInterval;
        return options;
    }

    private RuntimeOptions BindRuntime()
    {
        const string section = RuntimeOptions.Section;
        const string runsc = $"{section}:{nameof(RuntimeOptions.Runsc)}";
        // Without telemetry: a verb's process exports none (see RuntimeOptions.RecordsTelemetry).
        var options = new RuntimeOptions { RecordsTelemetry = false };
        options.Path = String($"{section}:{nameof(RuntimeOptions.Path)}") ?? options.Path;
        options.Root = String($"{section}:{nameof(RuntimeOptions.Root)}") ?? options.Root;
        options.MonitorPath = String($"{section}:{nameof(RuntimeOptions.MonitorPath)}") ?? options.MonitorPath;
        options.CommandTimeout = Duration($"{section}:{nameof(RuntimeOptions.CommandTimeout)}") ?? options.CommandTimeout;
        options.StatusSource = StatusSource($"{section}:{nameof(RuntimeOptions.StatusSource)}") ?? options.StatusSource;
        options.Runsc.Path = String($"{runsc}:{nameof(RunscOptions.Path)}") ?? options.Runsc.Path;
        options.Runsc.Root = String($"{runsc}:{nameof(RunscOptions.Root)}") ?? options.Runsc.Root;
        options.Runsc.Network = String($"{runsc}:{nameof(RunscOptions.Network)}") ?? options.Runsc.Network;
        return options;
    }

    private string? String(string key) => settings.Get(key);

    private TimeSpan? Duration(string key) => Converted(key, typeof(TimeSpan), value => TimeSpan.Parse(value.Trim(), CultureInfo.InvariantCulture));

    private RuntimeStatusSource? StatusSource(string key) =>
        Converted(key, typeof(RuntimeStatusSource), value => Enum.Parse<RuntimeStatusSource>(value, ignoreCase: true));

    private T? Converted<T>(string key, Type type, Func<string, T> convert)
        where T : struct
    {
        if (settings.Get(key) is not { } value)
        {
            return null;
        }

        try
        {
            return convert(value);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            // The configuration binder's words, so that a bad value reads the same with or without a host.
            throw new InvalidOperationException($"Failed to convert configuration value '{value}' at '{key}' to type '{type}'.", e);
        }
    }

    /// <summary>Throws what the options of a host throw, so that NodeEntryPoint prints each failure as one line either way.</summary>
    private static T Validated<T>(T options, IValidateOptions<T> validator)
        where T : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : options;
    }
}
