using Microsoft.AspNetCore.Mvc;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.User;

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
