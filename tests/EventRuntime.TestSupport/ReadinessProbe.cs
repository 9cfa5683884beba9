using System.Net;
using System.Text.Json;

namespace EventRuntime.TestSupport;

/// <summary>Polls an agent's /health/ready until it answers with the wanted status, and returns the answer's body.</summary>
public static class ReadinessProbe
{
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient http, HttpStatusCode wanted, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var response = await http.GetAsync("health/ready");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == wanted)
            {
                return JsonDocument.Parse(body).RootElement.Clone();
            }

            Xunit.Assert.True(DateTime.UtcNow < deadline, $"/health/ready stayed {response.StatusCode}: {body}");
            await Task.Delay(250);
        }
    }
}
