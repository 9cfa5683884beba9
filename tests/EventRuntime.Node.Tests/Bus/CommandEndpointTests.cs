using EventRuntime.Contracts;
using EventRuntime.Node.Kernel;
using EventRuntime.Node.Security;
using EventRuntime.Node.Stopping;
using MassTransit;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Tests.Bus;

public sealed class CommandEndpointTests
{
    // The command queue is the saga's only queue: any other message type the saga consumed could be sent to
    // it by anyone who may send commands, and would answer or end a stop from outside.
    [Fact]
    public void The_saga_consumes_no_message_but_StopContainer()
    {
        var machine = new StopContainerStateMachine(Options.Create(new NodeOptions { Name = "node-a" }), Options.Create(new StopOptions()),
            new CommandSignatureCheck(Options.Create(new SecurityOptions()), TimeProvider.System));

        var consumed = machine.Events.Select(DataTypeOf).OfType<Type>().ToList();

        Assert.Equal([typeof(StopContainer)], consumed);
    }

    // Event<T> carries the message type; a plain Event (no data) is never consumed from a queue.
    private static Type? DataTypeOf(Event e) =>
        e.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>))?.GetGenericArguments()[0];
}
