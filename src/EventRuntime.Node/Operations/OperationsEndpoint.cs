using System.Net;
using EventRuntime.Node.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace EventRuntime.Node.Operations;

/// <summary>
/// One small Kestrel server beside the agent, on Health:Address:Health:Port (off while the port is 0):
/// GET /health/live (200 while the process answers), GET /health/ready (every check tagged "ready" passes:
/// 200, otherwise 503) and GET /metrics (Prometheus text format; prometheus-net publishes every .NET Meter,
/// the agent's, MassTransit's and the runtime's own). The agent's host stays a plain generic host: its
/// create/delete/list verbs and in-process tests need no web server, and the agent's health checks and logger
/// are the ones this server uses.
/// </summary>
public sealed class OperationsEndpoint(IOptions<HealthOptions> options, HealthCheckService health, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebApplication? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (address, port) = (IPAddress.Parse(options.Value.Address), options.Value.Port);
        if (port <= 0)
        {
            return;
        }

        // An empty builder: no appsettings.json of its own (nor a file watcher per agent), no console logger.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(OperationsEndpoint).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(health);
        // The agent's host answers SIGTERM; this server must keep answering while the agent drains.
        builder.Services.AddSingleton<IHostLifetime, InnerHostLifetime>();
        var app = builder.Build();
        app.UseRouting();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(NodeHealthChecks.Ready),
            ResponseWriter = HealthResponse.WriteAsync,
            // MassTransit calls the bus Degraded while its one receive endpoint (the command queue) cannot consume:
            // this agent then takes no commands, so it is not ready.
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
        });
        PrometheusMeters.Listen();
        NodeTelemetry.StartCountersAtZero();
        app.MapMetrics("/metrics");
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"could not listen on {address}:{port} for /health and /metrics (Health:Address, Health:Port): {e.Message}", e);
        }

        server = app;
        loggers.CreateLogger<OperationsEndpoint>().LogInformation(
            "Operations endpoint on http://{Address}:{Port}/: /health/live, /health/ready, /metrics", address, port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A lifetime that neither waits for nor listens to anything: the agent's own host owns the process's signals.</summary>
    private sealed class InnerHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
