using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.User;

[EnableRateLimiting(SignInRateLimiting.PolicyName)]
public sealed class LoginModel(UserAccounts accounts, ILogger<LoginModel> logger) : SignInPageModel(accounts)
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await CheckCredentialsAsync(cancellationToken) is not { } user)
        {
            return Page();
        }

        await SignInAsync(user);
        UsersLog.SignedIn(logger, user.UserName);
        return RedirectToLocal(ReturnUrl, "/");
    }
}
