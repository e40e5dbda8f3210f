using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Pages;

/// <summary>
/// Admins sign in once, at the gateway: this page sends them there and the gateway sends them back
/// here, signed in (the two share the sign-in cookie). A signed-in user who is not an admin is told so.
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(IOptions<GatewayLinkOptions> panel) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string GatewayLoginUrl { get; private set; } = "";

    public IActionResult OnGet()
    {
        var back = $"{Request.Scheme}://{Request.Host}{(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/")}";
        GatewayLoginUrl = $"{panel.Value.Url.TrimEnd('/')}/admin/login?ReturnUrl={Uri.EscapeDataString(back)}";
        if (User.Identity?.IsAuthenticated != true)
        {
            return Redirect(GatewayLoginUrl);
        }

        return User.IsInRole(SharedSignInExtensions.AdminRole) ? LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/") : Page();
    }
}
