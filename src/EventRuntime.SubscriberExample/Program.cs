// A subscriber to EventRuntime's outcome events: run it next to a broker with node agents, stop a
// container (ert stop web --node a), and it logs the outcome. See README.md ("Subscribing to outcomes").
using EventRuntime.SubscriberExample;
using Microsoft.Extensions.Hosting;

// appsettings.json is read from next to the executable, wherever it is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddOutcomeSubscriber(builder.Configuration);
await builder.Build().RunAsync();
