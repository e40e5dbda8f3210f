using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Remembers the tickets of recently seen sign-in cookies, so a session that sends many requests (the gateway
/// relays every request of a user's app) is decrypted and deserialized once a minute rather than on every request.
/// </summary>
/// <remarks>
/// The key is the exact protected text: a changed or forged cookie misses and goes through the real format.
/// Nothing about revocation changes: the cookie handler still checks the expiry, and the services' principal
/// validation (user gone, security stamp changed) still runs on every request. Each hit returns a copy, so
/// whatever a request does to its principal or properties stays in that request.
/// </remarks>
public sealed class CachedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
{
    public const int Capacity = 10_000;

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    // Lives as long as the cookie options, that is the process; expired entries go on access, the size cap bounds it.
    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, purpose: null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        var ticket = _tickets.Get<AuthenticationTicket>(protectedText);
        if (ticket is null)
        {
            ticket = inner.Unprotect(protectedText);
            if (ticket is null)
            {
                return null;
            }

            _tickets.Set(protectedText, ticket, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }

        // ClaimsPrincipal.Clone() would share the identities; a request may add claims to them.
        var principal = new ClaimsPrincipal(ticket.Principal.Identities.Select(identity => identity.Clone()));
        return new AuthenticationTicket(principal, ticket.Properties.Clone(), ticket.AuthenticationScheme);
    }
}
