using EventRuntime.Node.Runtime;

namespace EventRuntime.Node.Tests.Runtime;

public sealed class RuntimeErrorClassifierTests
{
    public static TheoryData<string, string, RuntimeErrorKind> Cases => new()
    {
        { "runc, missing container", "time=\"x\" level=error msg=\"container does not exist\"\ncontainer does not exist", RuntimeErrorKind.NotFound },
        { "crun, missing container", "container `web` does not exist", RuntimeErrorKind.NotFound },
        { "runc, stopped container", "container not running", RuntimeErrorKind.NotRunning },
        { "crun, process gone", "kill: No such process", RuntimeErrorKind.NotRunning },
        { "runc, paused container", "container paused", RuntimeErrorKind.Paused },
        { "anything else", "permission denied", RuntimeErrorKind.Failed },
        { "no output", "", RuntimeErrorKind.Failed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classifies_runtime_stderr(string description, string stderr, RuntimeErrorKind expected)
    {
        Assert.True(expected == RuntimeErrorClassifier.Classify(stderr), description);
    }

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("sigterm", "SIGTERM")]
    [InlineData("9", "SIGKILL")]
    [InlineData(" SIGQUIT ", "SIGQUIT")]
    public void Normalizes_signal_names(string given, string expected) => Assert.Equal(expected, Signals.Normalize(given));

    [Theory]
    [InlineData("BOGUS")]
    [InlineData("99")]
    [InlineData("--root=/")]
    public void Refuses_unknown_signals(string given) => Assert.Throws<ArgumentException>(() => Signals.Normalize(given));
}
