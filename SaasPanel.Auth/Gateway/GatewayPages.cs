using SaasPanel.Auth.Apis;
using SaasPanel.Auth.Pages;
using SaasPanel.Contracts;
using static SaasPanel.Auth.Pages.HtmlPage;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// What the gateway answers when it does not forward (written with <see cref="HtmlPage"/>); never a
/// container address or port.
/// </summary>
public static class GatewayPages
{
    /// <summary>
    /// The workspace is not running yet. Its owner's page follows it over server-sent events (the script of the
    /// "being prepared" page) and opens it the moment it runs, reloading only without JavaScript; anyone else's
    /// (an admin's, or one shown after a failed relay) reloads every <paramref name="refreshSeconds"/>.
    /// </summary>
    public static string Waiting(string userName, string state, int refreshSeconds, bool followLive)
    {
        var refresh = $"""<meta http-equiv="refresh" content="{refreshSeconds}">""";
        return Render(
            "Your workspace is starting",
            followLive ? $"""<noscript>{refresh}</noscript><script src="/js/workspace-status.js" defer></script>""" : refresh,
            $"""
            <h1>Your workspace is on its way</h1>
            <p>The workspace of <strong>{Encode(userName)}</strong> is <strong id="workspace-state"{(followLive ? $" data-events-url=\"{WorkspaceStatusApi.EventsPath}\"" : "")}>{Encode(Describe(state))}</strong>.
            This page opens it by itself as soon as it is running.</p>
            <p class="field-error" id="workspace-failed" hidden>Your workspace could not start. The operators have been told; please try again later.</p>
            <p class="muted">Nothing to do here — just wait a moment.</p>
            """);
    }

    public static string Failed(string userName, string? detail) => Render(
        "Your workspace could not start",
        "",
        $"""
        <h1>Your workspace could not start</h1>
        <p>Something went wrong while starting the workspace of <strong>{Encode(userName)}</strong>.
        The operators have been told; please try again later.</p>
        {(detail is null ? "" : $"<p class=\"muted\">Detail (visible to admins only): <code>{Encode(detail)}</code></p>")}
        <p><a href="{Encode(GatewayEndpoints.WorkspacePath(userName))}">Try again</a></p>
        """);

    public static string Suspended(string userName) => Render(
        "Your workspace is suspended",
        "",
        $"""
        <h1>Your workspace is suspended</h1>
        <p>The workspace of <strong>{Encode(userName)}</strong> was <strong id="workspace-state">suspended by an administrator</strong>.
        It stays stopped until an administrator resumes it; please contact them.</p>
        {SignOutForm}
        """);

    public static string Forbidden(string userName) => Render(
        "Not your workspace",
        "",
        $"""
        <h1>Not your workspace</h1>
        <p>The workspace <strong>{Encode(userName)}</strong> belongs to someone else.</p>
        <p><a href="/">Go to your own workspace</a></p>
        {SignOutForm}
        """);

    public static string NotFound(string userName) => Render(
        "No such workspace",
        "",
        $"""
        <h1>No such workspace</h1>
        <p>There is no workspace called <strong>{Encode(userName)}</strong>.</p>
        <p><a href="/">Back</a></p>
        """);

    private static string Describe(string state) => state switch
    {
        WorkspaceStates.Pending => "being prepared",
        WorkspaceStates.Starting => "starting",
        WorkspaceStates.Stopping => "stopping, and will start again",
        WorkspaceStates.Stopped => "waking up",
        _ => state.ToLowerInvariant(),
    };
}
