using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

// A broker of the test's own: the test stops it and starts it again.
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ready_turns_unhealthy_while_the_broker_is_stopped_and_healthy_when_it_returns()
    {
        await using var broker = await RestartableRabbitMq.StartAsync();
        await using var sandbox = new RuncSandbox();
        var port = LoopbackPort.Free();
        await using var agent = await NodeAgent.StartAsync("health-" + Guid.NewGuid().ToString("N")[..8], sandbox, broker.AmqpUri,
            new Dictionary<string, string?> { ["Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(20) };

        var ready = await ReadinessProbe.WaitForStatusAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.Equal(["bus", "runtime", "state-directory", "command-consumer", "saga-database"], ready.GetProperty("checks").EnumerateObject().Select(c => c.Name));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);

        await broker.StopAsync();
        var down = await ReadinessProbe.WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
        // MassTransit's bus check says Degraded (its receive endpoint is down) or Unhealthy; either answers 503.
        Assert.Contains(down.GetProperty("checks").GetProperty("bus").GetProperty("status").GetString(), new[] { "Degraded", "Unhealthy" });
        Assert.Equal("Healthy", down.GetProperty("checks").GetProperty("runtime").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);
        var metrics = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("eventruntime_", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await broker.StartAsync(TimeSpan.FromSeconds(120));
        var back = await ReadinessProbe.WaitForStatusAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(120));
        Assert.Equal("Healthy", back.GetProperty("status").GetString());
    }
}
