namespace EventRuntime.Node.Operations;

/// <summary>The optional health endpoint (section "Health"). See docs/configuration.md.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Port of http://127.0.0.1:PORT/health/live and /health/ready; 0 turns the endpoint off.</summary>
    public int Port { get; set; }
}
