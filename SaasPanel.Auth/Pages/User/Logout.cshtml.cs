using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.User;

/// <summary>
/// GET asks; the POST signs out and revokes every session of the user (a new security stamp), so a
/// copied cookie stops working too. A workspace page has no antiforgery token of ours, so its
/// one-click form is accepted when the browser says it comes from our own origin.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class LogoutModel(IAntiforgery antiforgery, UserAccounts accounts) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!SameOriginRequest.IsSameOrigin(Request) && !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return new ContentResult
            {
                StatusCode = StatusCodes.Status400BadRequest,
                ContentType = "text/plain; charset=utf-8",
                Content = "Sign-out is accepted only from this site's own pages.\n",
            };
        }

        if (User.Identity?.Name is { } userName)
        {
            await accounts.EndSessionsAsync(userName, cancellationToken);
        }

        await HttpContext.SignOutAsync();
        return LocalRedirect("/user/login");
    }
}
