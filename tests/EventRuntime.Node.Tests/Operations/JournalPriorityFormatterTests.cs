using EventRuntime.Node.Operations;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace EventRuntime.Node.Tests.Operations;

public sealed class JournalPriorityFormatterTests
{
    public static TheoryData<LogEventLevel, string> Levels => new()
    {
        { LogEventLevel.Fatal, "<2>" },
        { LogEventLevel.Error, "<3>" },
        { LogEventLevel.Warning, "<4>" },
        { LogEventLevel.Information, "<6>" },
        { LogEventLevel.Debug, "<7>" },
        { LogEventLevel.Verbose, "<7>" },
    };

    [Theory]
    [MemberData(nameof(Levels))]
    public void A_line_starts_with_the_syslog_priority_of_its_level(LogEventLevel level, string prefix)
    {
        var formatter = new JournalPriorityFormatter(new MessageTemplateTextFormatter("{Message}{NewLine}"));
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, level, null, new MessageTemplateParser().Parse("stop of web failed"), []);
        using var output = new StringWriter();

        formatter.Format(logEvent, output);

        Assert.Equal(prefix + "stop of web failed" + Environment.NewLine, output.ToString());
    }
}
