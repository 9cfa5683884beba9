using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace EventRuntime.TestSupport;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package, infra/ci/setup.sh installs it) on 127.0.0.1, with a
/// data directory of its own, scraping the given targets every second. Queries go through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly HttpClient http;

    private PrometheusServer(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<PrometheusServer> StartAsync(string job, IEnumerable<string> targets)
    {
        var directory = Directory.CreateTempSubdirectory("eventruntime-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: {{job}}
                static_configs:
                  - targets: [{{string.Join(", ", targets.Select(t => $"'{t}'"))}}]
            """);
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        // Read both pipes so that a chatty Prometheus never blocks on a full one.
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new PrometheusServer(process, directory, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if ((await server.http.GetAsync("-/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"prometheus on 127.0.0.1:{port} did not become ready (exited: {process.HasExited})");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>An instant query's samples: the series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var answer = await http.GetFromJsonAsync<JsonElement>("api/v1/query?query=" + Uri.EscapeDataString(promql));
        if (answer.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"prometheus query {promql} failed: {answer}");
        }

        return answer.GetProperty("data").GetProperty("result").EnumerateArray().Select(sample => (
            (IReadOnlyDictionary<string, string>)sample.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString() ?? ""),
            double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Queries until <paramref name="satisfied"/> holds for the answer, and returns that answer.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryUntilAsync(
        string promql, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> satisfied, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var samples = await QueryAsync(promql);
            if (satisfied(samples))
            {
                return samples;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"prometheus query {promql}: answer not as expected within {within.TotalSeconds} s: "
                    + string.Join("; ", samples.Select(s => $"{string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}"))} {s.Value}")));
            }

            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
