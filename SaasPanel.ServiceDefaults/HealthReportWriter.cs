using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Writes a health report: for the API key, JSON with the overall status plus each entry's status and
/// description (they name the engine endpoint and images); for anyone else, the status word alone.
/// </summary>
internal static class HealthReportWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Descriptions are read by people (curl, the dashboard): keep quotes and apostrophes as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (!MayReadDetail(context))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(report.Status.ToString(), context.RequestAborted);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            entries = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    description = entry.Value.Description ?? entry.Value.Exception?.Message,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Options), context.RequestAborted);
    }

    private static bool MayReadDetail(HttpContext context)
    {
        var expected = context.RequestServices.GetRequiredService<IOptions<HealthDetailOptions>>().Value.ApiKey;
        return !string.IsNullOrEmpty(expected)
            && context.Request.Headers[HealthDetailOptions.ApiKeyHeader] is [{ } presented]
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }
}
