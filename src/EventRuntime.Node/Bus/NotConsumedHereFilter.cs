using MassTransit;
using MassTransit.Configuration;

namespace EventRuntime.Node.Bus;

/// <summary>
/// Keeps a message type from the consumers of one endpoint. The saga is configured on the command queue and
/// on its own answer queue alike, so without this the command queue would also take the saga's internal
/// answers, and anyone who may send commands could answer a running stop and forge its outcome. A message
/// no consumer took is moved to the queue's _skipped queue by MassTransit.
/// </summary>
internal sealed class NotConsumedHereFilter<T> : IFilter<ConsumeContext<T>>, IPipeSpecification<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next) => Task.CompletedTask;

    public void Probe(ProbeContext context) => context.CreateFilterScope("notConsumedHere");

    public void Apply(IPipeBuilder<ConsumeContext<T>> builder) => builder.AddFilter(this);

    public IEnumerable<ValidationResult> Validate() => [];
}
