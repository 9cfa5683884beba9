using System.Net.Mime;
using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>Registers a MassTransit serializer whose deserializer is wrapped in a <see cref="BoundedDeserializer"/>.</summary>
internal sealed class BoundedDeserializerFactory(ISerializerFactory inner, int maxBytes, bool acceptsMissingContentType = false) : ISerializerFactory
{
    public ContentType ContentType => inner.ContentType;

    public IMessageSerializer CreateSerializer() => inner.CreateSerializer();

    public IMessageDeserializer CreateDeserializer() => new BoundedDeserializer(inner.CreateDeserializer(), maxBytes, acceptsMissingContentType);
}
