using System.CommandLine;
using System.CommandLine.Parsing;
using EventRuntime.Cli.Output;

namespace EventRuntime.Cli.Commands;

/// <summary>Options and checks that several commands share.</summary>
internal static class Options
{
    public static Option<string> Output()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "table (for people) or json (for programs)",
            DefaultValueFactory = _ => OutputFormat.Table,
        };
        option.AcceptOnlyFromAmong(OutputFormat.All);
        return option;
    }

    /// <summary>How long a fleet question listens, in seconds (fractions allowed); null leaves it to the client library.</summary>
    public static Option<double?> FleetWait()
    {
        var option = new Option<double?>("--wait")
        {
            Description = "Seconds to wait for the agents' answers: until every named node (with no --node, every agent on the roster) answered, at most this (default: 1 when every node is asked, 5 with --node)",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1
                && double.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value <= 0)
            {
                result.AddError("--wait must be more than 0");
            }
        });
        return option;
    }

    /// <summary>Nodes to ask, repeatable (<c>--node a --node b</c>) or comma-separated (<c>--node a,b</c>).</summary>
    public static Option<string[]> Nodes(string description) => new("--node", "-n") { Description = description, AllowMultipleArgumentsPerToken = false };

    /// <summary>The nodes of <see cref="Nodes"/>, commas split, each named once.</summary>
    public static IReadOnlyList<string> NodesOf(string[]? values) =>
        [.. (values ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    /// <summary>A label selector, <c>app=web,tier!=db</c>.</summary>
    public static Option<string?> Selector(string description) => new("--selector", "-l") { Description = description };

    public static Option<int> Seconds(string name, string description, int defaultSeconds)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultSeconds };
        option.Validators.Add(result => RequireAtLeast(result, option, 0));
        return option;
    }

    /// <summary>
    /// Adds an error when the option's value is below <paramref name="minimum"/>. A value that is not a
    /// number is left alone: System.CommandLine reports it, and reading it here would throw.
    /// </summary>
    public static void RequireAtLeast(OptionResult result, Option option, int minimum)
    {
        if (result.Tokens.Count == 1
            && int.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value < minimum)
        {
            result.AddError($"{option.Name} must be {minimum} or more");
        }
    }

    /// <summary>
    /// Refuses values that look like options: an argument that takes many values would otherwise take a
    /// mistyped option (<c>--force</c>) as one, and no container id starts with a dash.
    /// </summary>
    public static void RejectOptionLikeValues(ArgumentResult result)
    {
        foreach (var token in result.Tokens.Where(token => token.Value.StartsWith('-')))
        {
            result.AddError($"Unrecognized option '{token.Value}'.");
        }
    }
}
