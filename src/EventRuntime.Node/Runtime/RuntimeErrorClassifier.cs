namespace EventRuntime.Node.Runtime;

/// <summary>
/// The one place that maps runc's and crun's stderr to <see cref="RuntimeErrorKind"/>.
/// Both exit 1 for every failure, so the text is all there is; "stopped" itself is always
/// decided from <c>state</c>, never from these texts.
/// </summary>
internal static class RuntimeErrorClassifier
{
    private static readonly (string Text, RuntimeErrorKind Kind)[] KnownTexts =
    [
        ("does not exist", RuntimeErrorKind.NotFound),   // runc: "container does not exist"; crun: "container `ID` does not exist"
        ("container not running", RuntimeErrorKind.NotRunning),
        ("no such process", RuntimeErrorKind.NotRunning), // crun, and runc when the process died between checks
        ("process already finished", RuntimeErrorKind.NotRunning),
        ("container paused", RuntimeErrorKind.Paused),
    ];

    public static RuntimeErrorKind Classify(string stderr)
    {
        foreach (var (text, kind) in KnownTexts)
        {
            if (stderr.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        return RuntimeErrorKind.Failed;
    }
}
