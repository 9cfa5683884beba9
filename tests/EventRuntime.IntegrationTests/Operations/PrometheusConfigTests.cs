using EventRuntime.TestSupport;

namespace EventRuntime.IntegrationTests.Operations;

// infra/prometheus/ as Prometheus' own tool reads it (promtool, from Debian's prometheus package).
public sealed class PrometheusConfigTests
{
    private static readonly string Directory = Path.Combine(Repository.Root, "infra", "prometheus");

    [Fact]
    public async Task The_scrape_config_passes_promtool_check_config()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("promtool", "check", "config", Path.Combine(Directory, "prometheus.yml"));

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_rules()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("promtool", "check", "rules", Path.Combine(Directory, "alerts.yml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 6 rules found", output, StringComparison.Ordinal);
    }

    // Each alert fires on a made-up history of its metrics and stays quiet for the healthy node beside it.
    [Fact]
    public async Task Each_alert_fires_on_its_unit_test_history_and_not_on_a_healthy_one()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("promtool", "test", "rules", Path.Combine(Directory, "alerts.test.yml"));

        Assert.True(exitCode == 0, output);
    }
}
