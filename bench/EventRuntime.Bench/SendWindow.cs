namespace EventRuntime.Bench;

/// <summary>How the control planes of the scenarios send: <c>count</c> sends, at most <c>inFlight</c> of them outstanding.</summary>
internal static class SendWindow
{
    public static async Task RunAsync(int count, int inFlight, Func<int, Task> send)
    {
        using var window = new SemaphoreSlim(inFlight);
        var sends = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await window.WaitAsync();
            var index = i;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    await send(index);
                }
                finally
                {
                    window.Release();
                }
            }));
        }

        await Task.WhenAll(sends);
    }
}
