using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using SaasPanel.Contracts;

namespace SaasPanel.UserApp;

/// <summary>The user's own page: who they are, their workspace and its uptime, and a way out.</summary>
public static class WorkspacePage
{
    private const int MaxListedEntries = 20;

    /// <summary>
    /// The page's own policy: nothing but its one inline style sheet (allowed by its hash) and same-origin requests
    /// (the echo socket); the gateway keeps an app's policy, so this is what a browser enforces on the workspace.
    /// </summary>
    internal static readonly string ContentSecurityPolicy =
        $"default-src 'self'; script-src 'self'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(StyleSheet)))}'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IResult Render(HttpRequest request, WorkspaceIdentity identity, TimeProvider clock)
    {
        var html = HtmlEncoder.Default;
        var prefix = PathPrefix(request);
        var caller = Caller.From(request);
        var uptime = clock.GetUtcNow() - identity.StartedAt;
        request.HttpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;

        var page = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(html.Encode(caller.Owner)).Append(" · SaasPanel</title>")
            .Append("<base href=\"").Append(html.Encode(prefix)).Append("/\">")
            .Append("<style>").Append(StyleSheet).Append("</style>")
            .Append("</head><body><header><strong>SaasPanel</strong> workspace")
            // One click: a plain POST to Auth on the same origin (Auth accepts it by its Origin headers).
            .Append("<form class=\"logout\" method=\"post\" action=\"/user/logout\"><button type=\"submit\">Log out</button></form></header><main>")
            .Append(caller.IsOwner ? "<h1>Hello, " : "<h1>The workspace of ")
            .Append("<span id=\"username\">").Append(html.Encode(caller.Owner)).Append("</span></h1>")
            .Append("<dl>")
            .Append("<dt>User</dt><dd>").Append(html.Encode(caller.Owner)).Append("</dd>")
            // An admin opening it sees who they are signed in as, not the owner's address (the gateway knows only the caller's).
            .Append(caller.IsOwner ? "<dt>Email</dt><dd id=\"email\">" : "<dt>Opened by</dt><dd>")
            .Append(html.Encode(caller.IsOwner ? caller.Email : $"{caller.UserName} ({caller.Email})")).Append("</dd>")
            .Append("<dt>Status</dt><dd id=\"status\">Running</dd>")
            .Append("<dt>Up since</dt><dd>").Append(identity.StartedAt.ToString("u")).Append(" (")
            .Append(FormatUptime(uptime)).Append(")</dd>")
            .Append("<dt>Workspace</dt><dd><code>").Append(html.Encode(identity.WorkspaceDirectory)).Append("</code></dd>")
            .Append("</dl>");
        AppendWorkspaceListing(page, identity.WorkspaceDirectory, html);
        page.Append("</main></body></html>");

        return TypedResults.Content(page.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>The gateway's path prefix (e.g. <c>/u/alice</c>), so links work under any mount point.</summary>
    internal static string PathPrefix(HttpRequest request)
    {
        var prefix = request.Headers[Headers.ForwardedPrefix].ToString().TrimEnd('/');
        return prefix.StartsWith('/') && !prefix.StartsWith("//", StringComparison.Ordinal) ? prefix : "";
    }

    internal static string FormatUptime(TimeSpan uptime) => uptime switch
    {
        { TotalDays: >= 1 } => $"{(int)uptime.TotalDays}d {uptime.Hours}h",
        { TotalHours: >= 1 } => $"{uptime.Hours}h {uptime.Minutes}m",
        { TotalMinutes: >= 1 } => $"{uptime.Minutes}m {uptime.Seconds}s",
        _ => $"{Math.Max(0, uptime.Seconds)}s",
    };

    private static void AppendWorkspaceListing(StringBuilder page, string directory, HtmlEncoder html)
    {
        if (!Directory.Exists(directory))
        {
            page.Append("<p class=\"muted\">No workspace volume is mounted.</p>");
            return;
        }

        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().Take(MaxListedEntries + 1).ToList();
        if (entries.Count == 0)
        {
            page.Append("<p class=\"muted\">Your workspace is empty.</p>");
            return;
        }

        page.Append("<ul class=\"files\">");
        foreach (var entry in entries.Take(MaxListedEntries))
        {
            page.Append("<li>").Append(html.Encode(entry.Name)).Append(entry is DirectoryInfo ? "/" : "").Append("</li>");
        }
        page.Append(entries.Count > MaxListedEntries ? "<li>…</li></ul>" : "</ul>");
    }

    private const string StyleSheet = """
        body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
        header{display:flex;justify-content:space-between;align-items:center;padding:.8rem 1.5rem;background:#1d2330;color:#fff}
        header a{color:#fff}
        .logout{margin:0}.logout button{background:none;border:0;color:#fff;font:inherit;text-decoration:underline;cursor:pointer}
        main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
        dl{display:grid;grid-template-columns:8rem 1fr;gap:.4rem 1rem}
        dt{color:#667}
        .muted{color:#667}
        """;
}
