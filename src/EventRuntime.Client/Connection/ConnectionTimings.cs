namespace EventRuntime.Client;

/// <summary>Where a client's connect spent its time.</summary>
/// <param name="Connect">The probe: one AMQP connection opened and closed (TCP, TLS, login).</param>
/// <param name="Topology">The bus's start: its own connection, the outcome queue and its bindings.</param>
public sealed record ConnectionTimings(TimeSpan Connect, TimeSpan Topology);
