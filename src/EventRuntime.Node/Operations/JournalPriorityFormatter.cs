using Serilog.Events;
using Serilog.Formatting;

namespace EventRuntime.Node.Operations;

/// <summary>
/// Starts each console line with its syslog priority (<c>&lt;4&gt;</c> for a warning) when the console is
/// systemd's journal: journald takes the prefix off and stores the priority, so <c>journalctl -p warning</c>
/// shows the agent's warnings and errors. Lines of an exception after the first keep the journal's default.
/// </summary>
public sealed class JournalPriorityFormatter(ITextFormatter inner) : ITextFormatter
{
    /// <summary>systemd sets JOURNAL_STREAM when it connects a service's stdout or stderr to the journal.</summary>
    public static bool ConsoleIsJournal => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write('<');
        output.Write(PriorityOf(logEvent.Level));
        output.Write('>');
        inner.Format(logEvent, output);
    }

    /// <summary>syslog's levels (RFC 5424): 2 critical, 3 error, 4 warning, 6 informational, 7 debug.</summary>
    public static int PriorityOf(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };
}
