using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;

namespace SaasPanel.Tests.Unit.ServiceDefaults;

/// <summary>The sign-in cookie's ticket cache in front of the real Data Protection ticket format.</summary>
public sealed class CachedTicketFormatTests
{
    private readonly CountingFormat _real = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("cookie")));
    private readonly CachedTicketFormat _cached;

    public CachedTicketFormatTests() => _cached = new CachedTicketFormat(_real);

    [Fact]
    public void A_cookie_seen_again_is_not_decrypted_again_and_each_request_gets_its_own_copy()
    {
        var cookie = _cached.Protect(Ticket("alice"));

        var first = _cached.Unprotect(cookie)!;
        first.Principal.Identities.First().AddClaim(new Claim("added-by-a-request", "1"));
        first.Properties.Items["changed-by-a-request"] = "1";
        var second = _cached.Unprotect(cookie)!;

        Assert.Equal(1, _real.Unprotected);
        Assert.NotSame(first.Principal, second.Principal);
        Assert.Equal("alice", second.Principal.Identity!.Name);
        Assert.Null(second.Principal.FindFirst("added-by-a-request"));
        Assert.False(second.Properties.Items.ContainsKey("changed-by-a-request"));
        Assert.Equal(first.Properties.ExpiresUtc, second.Properties.ExpiresUtc);
    }

    [Fact]
    public void A_changed_or_forged_cookie_goes_through_the_real_format_and_is_refused()
    {
        var cookie = _cached.Protect(Ticket("alice"));
        Assert.NotNull(_cached.Unprotect(cookie));

        var tampered = cookie[..^4] + (cookie[^4] == 'A' ? 'B' : 'A') + cookie[^3..];

        Assert.Null(_cached.Unprotect(tampered));
        Assert.Null(_cached.Unprotect("not-a-cookie"));
        Assert.Equal(3, _real.Unprotected);
    }

    [Fact]
    public void Different_cookies_are_different_sessions()
    {
        var alice = _cached.Protect(Ticket("alice"));
        var bob = _cached.Protect(Ticket("bob"));

        Assert.Equal("alice", _cached.Unprotect(alice)!.Principal.Identity!.Name);
        Assert.Equal("bob", _cached.Unprotect(bob)!.Principal.Identity!.Name);
        Assert.Equal("alice", _cached.Unprotect(alice)!.Principal.Identity!.Name);
        Assert.Equal(2, _real.Unprotected);
    }

    private static AuthenticationTicket Ticket(string userName) => new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName)], "cookie")),
        new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) },
        "Cookies");

    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Unprotected { get; private set; }

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Unprotected++;
            return inner.Unprotect(protectedText, purpose);
        }
    }
}
