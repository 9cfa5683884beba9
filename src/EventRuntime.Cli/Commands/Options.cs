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
