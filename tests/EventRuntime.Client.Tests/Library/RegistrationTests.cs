using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventRuntime.Client.Tests.Support;
using EventRuntime.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventRuntime.Client.Tests.Library;

// AddEventRuntimeClient: one call, and the host connects the client when it starts.
[Collection(BrokerCollection.Name)]
public sealed class RegistrationTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task A_host_with_AddEventRuntimeClient_stops_containers()
    {
        await using var node = await TestNode.StartAsync(broker);
        var web = node.Id("web");
        await node.StartContainersAsync(web);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventRuntimeClient(options => options.RabbitMqUrl = broker.AmqpUri);
        using var host = builder.Build();

        await host.StartAsync();
        var outcome = await host.Services.GetRequiredService<IEventRuntimeClient>().StopAsync(node.Name, web, TimeSpan.FromSeconds(10));
        await host.StopAsync();

        Assert.True(outcome.IsStopped);
        Assert.True(await node.IsStoppedAsync(web));
    }

    [Fact]
    public async Task A_host_whose_broker_is_unreachable_fails_to_start_within_the_connect_timeout()
    {
        var port = LoopbackPort.Free();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventRuntimeClient(options =>
        {
            options.RabbitMqUrl = new Uri($"amqp://guest:guest@127.0.0.1:{port}/");
            options.ConnectTimeout = TimeSpan.FromSeconds(3);
        });
        using var host = builder.Build();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BrokerUnavailableException>(() => host.StartAsync());

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal($"cannot connect to RabbitMQ at amqp://guest@127.0.0.1:{port}/: Connection refused", error.Message);
    }

    [Fact]
    public async Task A_URL_that_is_not_amqp_is_refused_when_the_host_starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEventRuntimeClient(options => options.RabbitMqUrl = new Uri("http://127.0.0.1/"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("EventRuntimeClient:RabbitMqUrl must be an amqp:// or amqps:// URL", error.Message, StringComparison.Ordinal);
    }
}
