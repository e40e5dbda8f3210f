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
        using var admin = panel.CreateClient();
        var page = await SessionAttackTests.GetWithCookieAsync(admin, "/", panel.Cookie);
        var antiforgery = page.Headers.GetValues("Set-Cookie").Select(cookie => cookie.Split(';')[0])
            .Single(cookie => cookie.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var token = TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;

        using var post = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", $"{panel.Cookie}; {antiforgery}");
        var response = await admin.SendAsync(post);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no such form", await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
