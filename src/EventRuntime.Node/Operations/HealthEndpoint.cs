using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Operations;

/// <summary>
/// GET /health/live (the process answers: 200) and GET /health/ready (every readiness check passes: 200,
/// otherwise 503), as JSON, on 127.0.0.1 only. Off unless Health:Port is set.
/// </summary>
public sealed class HealthEndpoint(IOptions<HealthOptions> options, ReadinessChecks checks, ILogger<HealthEndpoint> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Port <= 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{options.Value.Port}/health/");
        listener.Start();
        logger.LogInformation("Health endpoint on http://127.0.0.1:{Port}/health/live and /health/ready", options.Value.Port);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                break;
            }

            _ = AnswerAsync(context, stoppingToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? "";
            var (status, body) = path switch
            {
                "/health/live" => (200, (object)new { status = "Healthy" }),
                "/health/ready" => await ReadyAsync(cancellationToken).ConfigureAwait(false),
                _ => (404, new { status = "NotFound" }),
            };
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.OutputStream, body, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException)
        {
            // The caller went away or the agent is stopping.
        }
        finally
        {
            context.Response.Close();
        }
    }

    private async Task<(int, object)> ReadyAsync(CancellationToken cancellationToken)
    {
        var results = await checks.RunAsync(cancellationToken).ConfigureAwait(false);
        var healthy = results.All(r => r.Healthy);
        return (healthy ? 200 : 503, new
        {
            status = healthy ? "Healthy" : "Unhealthy",
            checks = results.ToDictionary(r => r.Name, r => new { status = r.Healthy ? "Healthy" : "Unhealthy", description = r.Description }),
        });
    }
}
