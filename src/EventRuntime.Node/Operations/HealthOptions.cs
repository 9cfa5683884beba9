using System.Net;

namespace EventRuntime.Node.Operations;

/// <summary>The operations endpoint: /health/live, /health/ready and /metrics (section "Health"). See docs/configuration.md.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>TCP port of the endpoint; 0 turns it off.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The IP address it listens on. Loopback unless set: 0.0.0.0 (or ::) lets a central monitor and Prometheus
    /// reach it, and exposes /metrics to whoever can reach the node.
    /// </summary>
    public string Address { get; set; } = IPAddress.Loopback.ToString();
}
