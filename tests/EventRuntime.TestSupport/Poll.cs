namespace EventRuntime.TestSupport;

/// <summary>Waiting for a condition that something else makes true, bounded so that a test fails instead of hanging.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {within.TotalSeconds:0.#} s");
            }

            await Task.Delay(50);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {within.TotalSeconds:0.#} s");
            }

            await Task.Delay(250);
        }
    }
}
