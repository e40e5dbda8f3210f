using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Origins besides the service's own that its forms may post or be redirected to (the panel, after an admin signs in).</summary>
public sealed class SecurityHeadersOptions
{
    public List<string> FormActionSources { get; } = [];
}

/// <summary>
/// The browser-side defences on every response: a CSP without inline script or style, no framing,
/// no MIME sniffing, no referrer, HTTPS only once a browser has seen the site over HTTPS (browsers ignore
/// HSTS over plain HTTP), and the legacy XSS filter in its blocking mode. A response forwarded from a
/// workspace keeps the app's own headers and only gets what it left out.
/// </summary>
public static class SecurityHeaders
{
    private const string ForwardedItem = "SaasPanel.SecurityHeaders.Forwarded";

    /// <summary>One year, without subdomains: other sites of the domain may still be served over plain HTTP.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>Only old browsers still filter; "block" stops the page rather than rewriting it (the filter's own XSS).</summary>
    public const string XssProtection = "1; mode=block";

    /// <summary>Marks the response as the workspace app's: its own headers win.</summary>
    public static void KeepApplicationHeaders(HttpContext context) => context.Items[ForwardedItem] = true;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var formActions = string.Join(' ', ["'self'", .. app.ApplicationServices.GetRequiredService<IOptions<SecurityHeadersOptions>>().Value.FormActionSources]);
        var policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + $"object-src 'none'; base-uri 'self'; form-action {formActions}; frame-ancestors 'none'";
        var writer = new HeaderWriter(policy);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(writer.Apply, context);
            return next(context);
        });
    }

    /// <summary>One per application: its callback is created once, so a request registers it without allocating a closure.</summary>
    private sealed class HeaderWriter
    {
        private readonly string _policy;

        public HeaderWriter(string policy)
        {
            _policy = policy;
            Apply = Write;
        }

        public Func<object, Task> Apply { get; }

        private Task Write(object state)
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            if (context.Items.ContainsKey(ForwardedItem))
            {
                headers.TryAdd("Content-Security-Policy", "frame-ancestors 'none'");
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                headers.TryAdd("X-Frame-Options", "DENY");
                headers.TryAdd("Referrer-Policy", "no-referrer");
                headers.TryAdd("Strict-Transport-Security", StrictTransportSecurity);
                headers.TryAdd("X-XSS-Protection", XssProtection);
            }
            else
            {
                headers.ContentSecurityPolicy = _policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.StrictTransportSecurity = StrictTransportSecurity;
                headers.XXSSProtection = XssProtection;
            }

            return Task.CompletedTask;
        }
    }
}
