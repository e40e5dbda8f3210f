using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.Admin;

[EnableRateLimiting(SignInRateLimiting.PolicyName)]
public sealed class LoginModel(UserAccounts accounts, IOptions<ControlPanelLinkOptions> panel, ILogger<LoginModel> logger)
    : SignInPageModel(accounts)
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await CheckCredentialsAsync(cancellationToken) is not { } user)
        {
            return Page();
        }

        if (!user.IsAdmin)
        {
            ModelState.AddModelError("", "This account is not an administrator.");
            return Page();
        }

        await SignInAsync(user);
        UsersLog.SignedIn(logger, user.UserName);
        // The operator panel sends admins here to sign in, and gets them back.
        return panel.Value.IsPanelUrl(ReturnUrl) ? Redirect(ReturnUrl!) : RedirectToLocal(ReturnUrl, "/admin/users");
    }
}
