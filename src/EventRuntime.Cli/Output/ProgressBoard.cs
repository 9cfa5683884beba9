using EventRuntime.Client;

namespace EventRuntime.Cli.Output;

/// <summary>
/// One progress line per container while ert waits for outcomes, on stderr so that stdout holds only the
/// result. On a terminal the lines are redrawn in place with a running clock; otherwise (a pipe, a log
/// file, a test) each change is written once as a line of its own.
/// </summary>
internal sealed class ProgressBoard : IAsyncDisposable
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter writer;
    private readonly Row[] rows;
    private readonly bool live;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopDrawing = new();
    private readonly Task drawing;
    private int drawnLines;

    public ProgressBoard(IReadOnlyList<StopRequest> requests, TextWriter writer, bool live)
    {
        this.writer = writer;
        this.live = live;
        rows = [.. requests.Select(request => new Row(request.ContainerId))];
        drawing = live ? DrawLoopAsync() : Task.CompletedTask;
    }

    /// <summary>Whether stderr can take redrawn lines: a terminal tall enough for the board.</summary>
    public static bool CanDrawLive(int lines)
    {
        if (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") is null or "dumb")
        {
            return false;
        }

        try
        {
            return lines < Console.WindowHeight - 1;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Update(StopProgress progress)
    {
        lock (gate)
        {
            var row = rows[progress.Index];
            row.Apply(progress);
            if (!live)
            {
                writer.WriteLine($"{row.Container}: {row.Describe(includeClock: false, progress.CommandId)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopDrawing.CancelAsync().ConfigureAwait(false);
        await drawing.ConfigureAwait(false);
        if (live)
        {
            Draw();
        }

        stopDrawing.Dispose();
    }

    private async Task DrawLoopAsync()
    {
        using var timer = new PeriodicTimer(RedrawInterval);
        try
        {
            do
            {
                Draw();
            }
            while (await timer.WaitForNextTickAsync(stopDrawing.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Finished; DisposeAsync draws the final state.
        }
    }

    private void Draw()
    {
        lock (gate)
        {
            var width = Math.Max(20, SafeWindowWidth() - 1);
            var name = Math.Min(rows.Max(row => row.Container.Length), width / 2);
            // Back to the first line of the board (ESC [ n F), then each line cleared (ESC [ 2 K) and rewritten.
            var text = new System.Text.StringBuilder(drawnLines > 0 ? $"\u001b[{drawnLines}F" : "");
            foreach (var row in rows)
            {
                var line = $"{row.Container.PadRight(name)}  {row.Describe(includeClock: true, commandId: null)}";
                text.Append("\u001b[2K").Append(line.Length > width ? line[..width] : line).Append('\n');
            }

            writer.Write(text.ToString());
            writer.Flush();
            drawnLines = rows.Length;
        }
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    private sealed class Row(string container)
    {
        private readonly System.Diagnostics.Stopwatch clock = new();
        private StopResult? result;

        public string Container { get; } = container;

        public void Apply(StopProgress progress)
        {
            if (progress.Phase == StopPhase.Sent)
            {
                clock.Start();
            }
            else
            {
                clock.Stop();
                result = progress.Result;
            }
        }

        public string Describe(bool includeClock, Guid? commandId) => result switch
        {
            null when !clock.IsRunning => "waiting to be sent",
            null when includeClock => $"waiting for the outcome  {Format.Seconds(clock.Elapsed)}",
            null => $"sent as command {commandId}",
            { Outcome: { IsStopped: true } outcome } => $"stopped in {Format.Milliseconds(outcome.Latency)}",
            { Outcome: { } outcome } => $"failed ({outcome.Event.Code}) in {Format.Milliseconds(outcome.Latency)}",
            { WasSkipped: true } => "skipped: " + result.Error,
            _ => "no outcome: " + result.Error,
        };
    }
}
