using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace EventRuntime.IntegrationTests.Operations;

/// <summary>
/// A local HTTP listener that speaks Seq's raw ingestion API: it accepts CLEF (one JSON event per line)
/// posted to /ingest/clef or /api/events/raw and keeps every event.
/// </summary>
internal sealed class FakeSeq : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<JsonElement> events = new();
    private readonly ConcurrentQueue<string> bodies = new();

    public FakeSeq()
    {
        Url = $"http://127.0.0.1:{TestSupport.LoopbackPort.Free()}/";

        listener.Prefixes.Add(Url);
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyCollection<JsonElement> Events => events;

    /// <summary>Every request body as received, to search for text that must never be sent.</summary>
    public string AllBodies => string.Join("\n", bodies);

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            if (context.Request.HttpMethod == "POST" && path is "/ingest/clef" or "/api/events/raw")
            {
                bodies.Enqueue(body);
                foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    events.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
                }

                context.Response.StatusCode = 201;
                await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}
