using EventRuntime.Contracts;
using EventRuntime.Node.Bus;
using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Tests.Bus;

public sealed class CommandEndpointTests
{
    [Fact]
    public void The_command_queue_refuses_every_message_the_saga_consumes_except_StopContainer()
    {
        var machine = new StopContainerStateMachine(Options.Create(new NodeOptions { Name = "node-a" }),
            new EventRuntime.Node.Security.CommandSignatureCheck(Options.Create(new EventRuntime.Node.Security.SecurityOptions()), TimeProvider.System));
        var consumed = machine.Events.Select(DataTypeOf).OfType<Type>().ToHashSet();

        var refused = NodeBusExtensions.RefuseSagaAnswers.Select(refuse => refuse.Method.GetGenericArguments().Single()).ToHashSet();

        Assert.Contains(typeof(StopContainer), consumed);
        consumed.Remove(typeof(StopContainer));
        Assert.Equal(consumed.Select(t => t.Name).Order(), refused.Select(t => t.Name).Order());
        Assert.True(consumed.SetEquals(refused));
    }

    // Event<T> carries the message type; a plain Event (no data) is never consumed from a queue.
    private static Type? DataTypeOf(Event e) =>
        e.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>))?.GetGenericArguments()[0];
}
