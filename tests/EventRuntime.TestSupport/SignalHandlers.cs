using System.Globalization;

namespace EventRuntime.TestSupport;

/// <summary>Which signals a process has installed a handler for, from the kernel's SigCgt mask in /proc.</summary>
public static class SignalHandlers
{
    public const int Term = 15;

    public static bool Catches(int pid, int signal)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigCgt:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc/{pid}/status has no SigCgt line");
        var mask = ulong.Parse(line["SigCgt:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (mask & (1UL << (signal - 1))) != 0;
    }

    public static async Task WaitUntilCaughtAsync(int pid, int signal, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!Catches(pid, signal))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"process {pid} set no handler for signal {signal} within {within.TotalSeconds:0.#} s");
            }

            await Task.Delay(2);
        }
    }
}
