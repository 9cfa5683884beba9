using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Security;

// The broker password from a file (as systemd's LoadCredential= provides it), the URL naming only the user.
[Collection(BrokerCollection.Name)]
public sealed class BrokerPasswordFileTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task An_agent_whose_url_has_no_password_logs_in_with_the_password_file_and_stops_a_container()
    {
        var passwordFile = Path.Combine(Path.GetTempPath(), $"broker-password-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, new UriBuilder(broker.AmqpUri).Password + "\n");
        var url = new UriBuilder(broker.AmqpUri) { Password = "" }.Uri;
        try
        {
            Assert.DoesNotContain(':', url.UserInfo);
            await using var scenario = await StopScenario.StartAsync(broker, settings: new Dictionary<string, string?>
            {
                ["RabbitMq:Url"] = url.ToString(),
                ["RabbitMq:PasswordFile"] = passwordFile,
            });
            await scenario.Sandbox.StartAsync("pwfile-web", BusyboxRootfs.TrapsTerm);

            await scenario.Plane.StoppedAsync(await scenario.StopAsync("pwfile-web"), TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
