using System.Net;
using System.Text.Encodings.Web;

namespace SaasPanel.Auth.Pages;

/// <summary>
/// A small, self-contained HTML page with the site's stylesheet, for answers written outside Razor Pages
/// (the gateway's pages, the error page).
/// </summary>
public static class HtmlPage
{
    public static string Render(string title, string head, string body) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Encode(title)} · SaasPanel</title>
        {head}
        <link rel="stylesheet" href="/css/site.css">
        </head>
        <body>
        <header class="topbar"><a class="brand" href="/">SaasPanel</a></header>
        <main>
        {body}
        </main>
        </body>
        </html>
        """;

    /// <summary>Signing out is one click: a same-origin POST that Auth accepts without a confirmation page.</summary>
    public const string SignOutForm =
        """<form class="sign-out" method="post" action="/user/logout"><button type="submit">Sign out</button></form>""";

    public static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    public static async Task WriteAsync(HttpContext context, HttpStatusCode status, string html)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
