using System.Net;
using System.Text.RegularExpressions;

namespace SaasPanel.Tests.Security;

/// <summary>wapiti's finding on the panel: a signed-in admin's form posted with a handler name the page does not have.</summary>
public sealed partial class PanelFormAttackTests
{
    [Theory]
    [InlineData("/?handler=nope")]
    [InlineData("/?handler=%27%20OR%201%3D1--")]
    [InlineData("/workspaces/nobody?handler=nope")]
    [InlineData("/audit")]
    public async Task A_post_no_handler_of_the_page_takes_is_404_with_a_message_not_a_500(string path)
    {
        await using var panel = await SignedInPanel.StartAsync();

        var response = await PostFormAsync(panel, path, []);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no such form", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/?q=x\u00bf'\"(")]
    [InlineData("/\r\nSet-Cookie: a=b")]
    [InlineData("//evil.example/")]
    public async Task A_return_url_a_browser_would_not_send_falls_back_to_the_panel_not_a_500(string returnUrl)
    {
        await using var panel = await SignedInPanel.StartAsync();

        var response = await PostFormAsync(panel, "/?handler=Action", new() { ["act"] = "stop", ["users"] = "nobody", ["returnUrl"] = returnUrl });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    /// <summary>Posts a form of the panel as the signed-in admin's browser does: the page's antiforgery cookie and token.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(SignedInPanel panel, string path, Dictionary<string, string> fields)
    {
        using var admin = panel.CreateClient();
        var page = await SessionAttackTests.GetWithCookieAsync(admin, "/", panel.Cookie);
        var antiforgery = page.Headers.GetValues("Set-Cookie").Select(cookie => cookie.Split(';')[0])
            .Single(cookie => cookie.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        fields["__RequestVerificationToken"] = TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", $"{panel.Cookie}; {antiforgery}");
        return await admin.SendAsync(post);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
