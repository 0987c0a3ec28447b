using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orian.Service.Health;

/// <summary>
/// <c>/health/ready</c>'s answer as JSON: the overall status and each check's, with its description
/// and duration, and for a failed check the type of what it met (never the exception's message, which
/// may name hosts or settings). The status code stays the framework's: 200 when healthy, 503 otherwise.
/// <c>/health/live</c> keeps the framework's plain answer: it is what load balancers poll and the load
/// scripts measure against.
/// </summary>
/// <example><code>{"status":"Healthy","duration_ms":3.1,"checks":{"database":{"status":"Healthy","description":"schema 21/21","duration_ms":2.9,"error":null}}}</code></example>
internal static class HealthAnswer
{
    public static HealthCheckOptions Ready { get; } = new()
    {
        Predicate = c => c.Tags.Contains("ready"),
        ResponseWriter = WriteAsync,
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("duration_ms", Math.Round(report.TotalDuration.TotalMilliseconds, 3));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteNumber("duration_ms", Math.Round(entry.Duration.TotalMilliseconds, 3));
                json.WriteString("error", entry.Exception?.GetType().Name);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).AsTask();
    }
}
