using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace SaasPanel.Auth.Users;

/// <summary>The claims in the shared sign-in cookie; Control reads the name and role claims too.</summary>
public static class UserPrincipals
{
    public const string SecurityStampClaim = "saaspanel:stamp";

    public static ClaimsPrincipal Create(User user)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.OwnerId),
                new Claim(ClaimTypes.Name, user.UserName),
                new Claim(ClaimTypes.Email, user.Email),
                new Claim(ClaimTypes.Role, user.IsAdmin ? SharedSignInExtensions.AdminRole : SharedSignInExtensions.UserRole),
                new Claim(SecurityStampClaim, user.SecurityStamp),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(SharedSignInExtensions.AdminRole);
}
