using Microsoft.Extensions.Hosting;

namespace EventRuntime.Client;

/// <summary>Connects the client when the host starts and closes it when the host stops.</summary>
internal sealed class ClientConnectionService(EventRuntimeClient client) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => client.ConnectAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await client.DisposeAsync().ConfigureAwait(false);
}
