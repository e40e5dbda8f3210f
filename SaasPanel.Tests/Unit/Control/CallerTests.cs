using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using SaasPanel.Contracts;
using SaasPanel.Control.Security;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Tests.Unit.Control;

public sealed class CallerTests
{
    [Theory]
    [InlineData(ApiKeyAuthenticationHandler.SchemeName, "alice", "alice")]
    [InlineData(ApiKeyAuthenticationHandler.SchemeName, null, ApiKeyAuthenticationHandler.ActorName)]
    [InlineData(CookieAuthenticationDefaults.AuthenticationScheme, "alice", ApiKeyAuthenticationHandler.ActorName)]
    public void The_acting_user_header_counts_only_for_the_api_key(string scheme, string? actingUser, string expected)
    {
        var http = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, ApiKeyAuthenticationHandler.ActorName)], scheme)),
        };
        if (actingUser is not null)
        {
            http.Request.Headers[Headers.ActingUser] = actingUser;
        }

        Assert.Equal(expected, Caller.Of(http).Actor);
    }
}
