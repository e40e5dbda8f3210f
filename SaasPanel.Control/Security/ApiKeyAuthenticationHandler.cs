using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;

namespace SaasPanel.Control.Security;

/// <summary>
/// Signs in callers that present the Control API key (<c>X-Api-Key</c>), the service token Auth and
/// scripts use. They act as an admin named <c>api-key</c> in the audit log.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiAccessOptions> apiOptions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ActorName = "api-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Headers.ApiKey, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = apiOptions.Value.ApiKey;
        if (string.IsNullOrEmpty(expected) || presented.Count != 1
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented[0] ?? ""), Encoding.UTF8.GetBytes(expected)))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, ActorName), new Claim(ClaimTypes.Role, SharedSignInExtensions.AdminRole)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
