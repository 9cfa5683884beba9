using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventRuntime.IntegrationTests.Stopping;
using EventRuntime.TestSupport;
using Testcontainers.RabbitMq;

namespace EventRuntime.IntegrationTests.Operations;

// Every metric that infra/grafana's dashboard and infra/prometheus' alerts query exists in what a running agent
// (after one stop) and a broker with rabbitmq_prometheus expose: a renamed metric fails here, not on a fleet.
public sealed partial class DashboardMetricsTests
{
    private const int RabbitMqPrometheusPort = 15692;

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"];

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alerts_query_is_exposed_by_an_agent_or_the_broker()
    {
        var queried = Queries().SelectMany(q => MetricNames(q).Select(name => (name, q))).ToList();
        Assert.Contains(queried, q => q.name.StartsWith("eventruntime_node_", StringComparison.Ordinal));
        Assert.Contains(queried, q => q.name.StartsWith("rabbitmq_", StringComparison.Ordinal));

        await using var broker = new RabbitMqBuilder(BrokerContainer.Image)
            .WithUsername(RabbitMqBroker.User).WithPassword(RabbitMqBroker.Password)
            // The local image's entrypoint reads this; the official image has the plugin on already.
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS", "rabbitmq_management,rabbitmq_prometheus")
            .WithPortBinding(RabbitMqPrometheusPort, true)
            .Build();
        await BrokerContainer.StartAsync(broker, " with rabbitmq_prometheus");
        var amqp = new Uri(broker.GetConnectionString());
        var port = LoopbackPort.Free();
        await using var scenario = await StopScenario.StartAsync(amqp,
            settings: new Dictionary<string, string?> { ["Health:Port"] = port.ToString(CultureInfo.InvariantCulture) });
        await scenario.Sandbox.StartAsync("dash-web", BusyboxRootfs.TrapsTerm);
        await scenario.Plane.StoppedAsync(await scenario.StopAsync("dash-web"), TimeSpan.FromSeconds(30));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var rabbit = $"http://127.0.0.1:{broker.GetMappedPublicPort(RabbitMqPrometheusPort)}";
        var exposed = new HashSet<string>(StringComparer.Ordinal);
        exposed.UnionWith(Names(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics")));
        exposed.UnionWith(Names(await http.GetStringAsync($"{rabbit}/metrics")));
        exposed.UnionWith(Names(await http.GetStringAsync($"{rabbit}/metrics/detailed?family=queue_coarse_metrics")));
        exposed.Add("up"); // Prometheus' own, per target

        var missing = queried.Where(q => !exposed.Contains(q.name)).Select(q => $"{q.name} (in {q.q})").Distinct().ToList();
        Assert.True(missing.Count == 0, "queried but not exposed:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Metric_names_are_read_out_of_PromQL_without_functions_labels_or_ranges()
    {
        var names = MetricNames("""histogram_quantile(0.99, sum by (le, instance) (rate(eventruntime_node_stop_duration_bucket{outcome="stopped", instance=~"$instance"}[$__rate_interval]))) > 60 and on (instance) up == 1""");

        Assert.Equal(["eventruntime_node_stop_duration_bucket", "up"], names);
    }

    /// <summary>The PromQL of every dashboard panel and every alert rule.</summary>
    private static IEnumerable<string> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "infra", "grafana", "eventruntime-fleet.json")));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return target.GetProperty("expr").GetString()!;
            }
        }

        foreach (Match rule in AlertExpression().Matches(File.ReadAllText(Path.Combine(Repository.Root, "infra", "prometheus", "alerts.yml"))))
        {
            yield return rule.Groups["expr"].Value;
        }
    }

    internal static List<string> MetricNames(string promql)
    {
        var bare = Bracketed().Replace(promql, " ");
        bare = Grouping().Replace(bare, " ");
        return Identifier().Matches(bare)
            .Where(m => !Keywords.Contains(m.Value) && !bare[(m.Index + m.Length)..].TrimStart().StartsWith('('))
            .Select(m => m.Value).Distinct().ToList();
    }

    private static IEnumerable<string> Names(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]);

    [GeneratedRegex(@"^\s+expr:\s*(?<expr>.+)$", RegexOptions.Multiline)]
    private static partial Regex AlertExpression();

    // Label matchers {…}, ranges […] and quoted strings.
    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]|""[^""]*""")]
    private static partial Regex Bracketed();

    // by (…), without (…), on (…), ignoring (…), group_left (…): label lists, not metrics.
    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
