using EventRuntime.Node.Kernel;
using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.CommandLine;

/// <summary>
/// The node executable's command line: a verb, its arguments, and the global flags that every verb
/// shares with the agent's configuration (so <c>create</c> and the agent agree on paths).
/// </summary>
internal sealed record NodeCommandLine(string Verb, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Settings)
{
    public static readonly IReadOnlyDictionary<string, string> GlobalFlags = new Dictionary<string, string>
    {
        ["--node"] = "Node:Name",
        ["--state-dir"] = "Node:StateDirectory",
        ["--runtime"] = "Runtime:Path",
        ["--runtime-root"] = "Runtime:Root",
    };

    public static readonly string[] Verbs = ["agent", "create", "delete", "list", "logs", "help"];

    /// <summary>Throws <see cref="UsageException"/> for an unknown verb or option (exit code 2); <c>--help</c> anywhere asks for the usage.</summary>
    public static NodeCommandLine Parse(IReadOnlyList<string> args)
    {
        var beforeSeparator = args.TakeWhile(a => a != "--").ToList();
        if (beforeSeparator.Any(a => a is "--help" or "-h"))
        {
            return new NodeCommandLine("help", [], new Dictionary<string, string?>());
        }

        if (args.Count > 0 && !args[0].StartsWith('-') && !Verbs.Contains(args[0]))
        {
            throw new UsageException($"unknown command {HostileText.Quoted(args[0], 64)}; see eventruntime-node --help");
        }

        var verb = args.Count > 0 && Verbs.Contains(args[0]) ? args[0] : "agent";
        var rest = new List<string>();
        var settings = new Dictionary<string, string?>();
        var start = verb == "agent" && (args.Count == 0 || args[0] != "agent") ? 0 : 1;
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                rest.AddRange(args.Skip(i));
                break;
            }

            var (flag, inlineValue) = SplitFlag(arg);
            if (GlobalFlags.TryGetValue(flag, out var key))
            {
                var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value"));
                if (verb == "create" && flag == "--runtime" && RuntimeCatalog.Names.Contains(value))
                {
                    // create's own choice of runtime by name (runc or runsc), not a path to the node's runtime binary.
                    rest.AddRange([flag, value]);
                }
                else
                {
                    settings[key] = value;
                }
            }
            else if (verb == "agent" && flag.StartsWith('-') && !flag.Contains(':', StringComparison.Ordinal))
            {
                // The agent's other arguments are settings (--Section:Key=value); anything else is a typo that would be ignored.
                throw new UsageException($"unknown option {HostileText.Quoted(flag, 64)}; settings are given as --Section:Key=value (docs/configuration.md)");
            }
            else
            {
                rest.Add(arg);
            }
        }

        return new NodeCommandLine(verb, rest, settings);
    }

    /// <summary>Reads <c>--name value</c> or <c>--name=value</c> from a verb's own arguments.</summary>
    public string? Option(string name)
    {
        for (var i = 0; i < Arguments.Count; i++)
        {
            if (Arguments[i] == "--")
            {
                break;
            }

            var (flag, inlineValue) = SplitFlag(Arguments[i]);
            if (flag == name)
            {
                return inlineValue ?? (i + 1 < Arguments.Count ? Arguments[i + 1] : throw new UsageException($"{name} needs a value"));
            }
        }

        return null;
    }

    /// <summary>Every value of the repeatable option <paramref name="name"/> (<c>--label a=b --label c=d</c>), in order.</summary>
    public IReadOnlyList<string> Values(string name)
    {
        var values = new List<string>();
        for (var i = 0; i < Arguments.Count && Arguments[i] != "--"; i++)
        {
            var (flag, inlineValue) = SplitFlag(Arguments[i]);
            if (flag == name)
            {
                values.Add(inlineValue ?? (i + 1 < Arguments.Count ? Arguments[++i] : throw new UsageException($"{name} needs a value")));
            }
        }

        return values;
    }

    /// <summary>The verb's positional arguments before <c>--</c>, skipping <paramref name="valuedOptions"/> and their values.</summary>
    public IReadOnlyList<string> Positionals(params string[] valuedOptions) => Positionals([], valuedOptions);

    /// <summary>As <see cref="Positionals(string[])"/>, also skipping the switches <paramref name="switches"/> (options without a value).</summary>
    public IReadOnlyList<string> Positionals(IReadOnlyCollection<string> switches, params string[] valuedOptions)
    {
        var positionals = new List<string>();
        for (var i = 0; i < Arguments.Count && Arguments[i] != "--"; i++)
        {
            var (flag, inlineValue) = SplitFlag(Arguments[i]);
            if (switches.Contains(flag))
            {
                continue;
            }

            if (valuedOptions.Contains(flag))
            {
                i += inlineValue is null ? 1 : 0;
            }
            else if (flag.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option {flag}");
            }
            else
            {
                positionals.Add(Arguments[i]);
            }
        }

        return positionals;
    }

    /// <summary>Whether the switch <paramref name="name"/> is given before <c>--</c>.</summary>
    public bool Switch(string name) => Arguments.TakeWhile(a => a != "--").Contains(name);

    /// <summary>Everything after <c>--</c>.</summary>
    public IReadOnlyList<string> AfterSeparator()
    {
        var index = Arguments.ToList().IndexOf("--");
        return index < 0 ? [] : Arguments.Skip(index + 1).ToList();
    }

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return (arg, null);
        }

        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }
}

internal sealed class UsageException(string message) : Exception(message);
