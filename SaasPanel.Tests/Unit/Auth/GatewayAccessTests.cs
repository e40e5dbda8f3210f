using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasPanel.Auth.Gateway;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class GatewayAccessTests
{
    // No database at all: deciding for anyone but an admin must not need one (the gateway's hot path).
    private readonly GatewayAccess _access = new(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>());

    [Fact]
    public async Task Nobody_signed_in_is_sent_to_sign_in()
    {
        Assert.Equal(GatewayAccessDecision.SignInRequired, await _access.DecideAsync(new ClaimsPrincipal(new ClaimsIdentity()), "alice", CancellationToken.None));
    }

    [Theory]
    [InlineData("alice", GatewayAccessDecision.AllowedAsOwner)]
    [InlineData("bob", GatewayAccessDecision.Forbidden)]
    [InlineData("Alice", GatewayAccessDecision.Forbidden)]
    public async Task A_user_may_open_only_their_own_workspace(string workspace, GatewayAccessDecision expected)
    {
        Assert.Equal(expected, await _access.DecideAsync(SignedIn("alice", SharedSignInExtensions.UserRole), workspace, CancellationToken.None));
    }

    private static ClaimsPrincipal SignedIn(string userName, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, userName), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme));
}
