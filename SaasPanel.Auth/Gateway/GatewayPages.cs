using System.Net;
using System.Text.Encodings.Web;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// What the gateway answers when it does not forward. Small, self-contained HTML with the panel's
/// stylesheet; never a container address or port.
/// </summary>
public static class GatewayPages
{
    public static string Waiting(string userName, string state, int refreshSeconds) => Page(
        "Your workspace is starting",
        $"""<meta http-equiv="refresh" content="{refreshSeconds}">""",
        $"""
        <h1>Your workspace is on its way</h1>
        <p>The workspace of <strong>{Encode(userName)}</strong> is <strong id="workspace-state">{Encode(Describe(state))}</strong>.
        This page reloads by itself every {refreshSeconds} seconds and opens it as soon as it is running.</p>
        <p class="muted">Nothing to do here — just wait a moment.</p>
        """);

    public static string Failed(string userName, string? detail) => Page(
        "Your workspace could not start",
        "",
        $"""
        <h1>Your workspace could not start</h1>
        <p>Something went wrong while starting the workspace of <strong>{Encode(userName)}</strong>.
        The operators have been told; please try again later.</p>
        {(detail is null ? "" : $"<p class=\"muted\">Detail (visible to admins only): <code>{Encode(detail)}</code></p>")}
        <p><a href="{Encode(GatewayEndpoints.WorkspacePath(userName))}">Try again</a></p>
        """);

    public static string Forbidden(string userName) => Page(
        "Not your workspace",
        "",
        $"""
        <h1>Not your workspace</h1>
        <p>The workspace <strong>{Encode(userName)}</strong> belongs to someone else.</p>
        <p><a href="/">Go to your own workspace</a> · <a href="/user/logout">Sign out</a></p>
        """);

    public static string NotFound(string userName) => Page(
        "No such workspace",
        "",
        $"""
        <h1>No such workspace</h1>
        <p>There is no workspace called <strong>{Encode(userName)}</strong>.</p>
        <p><a href="/">Back</a></p>
        """);

    public static async Task WriteAsync(HttpContext context, HttpStatusCode status, string html)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static string Describe(string state) => state switch
    {
        WorkspaceStates.Pending => "being prepared",
        WorkspaceStates.Starting => "starting",
        WorkspaceStates.Stopping => "stopping, and will start again",
        WorkspaceStates.Stopped => "waking up",
        _ => state.ToLowerInvariant(),
    };

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    private static string Page(string title, string head, string body) => $"""
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
}
