using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventRuntime.SubscriberExample;

/// <summary>Says once that the subscription is live, so people and tests know when to start stopping containers.</summary>
internal sealed class ReadyAnnouncement(IHostApplicationLifetime lifetime, IOptions<SubscriberOptions> options, ILogger<ReadyAnnouncement> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStarted comes after MassTransit's start, which waits for the queue (WaitUntilStarted).
        lifetime.ApplicationStarted.Register(() => logger.LogInformation("Subscribed to outcome events on queue {Queue}", options.Value.Queue));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
