using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.Admin;

public sealed class LoginModel(UserAccounts accounts, IOptions<PanelOptions> panel, ILogger<LoginModel> logger) : FormPageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(Username))
        {
            ModelState.AddModelError("username", "Enter your user name.");
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError("password", "Enter your password.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var check = await accounts.CheckPasswordAsync(Username, Password, cancellationToken);
        if (check.User is not { } user)
        {
            AddPasswordCheckError(check);
            return Page();
        }

        if (!user.IsAdmin)
        {
            ModelState.AddModelError("", "This account is not an administrator.");
            return Page();
        }

        await SignInAsync(user);
        UsersLog.SignedIn(logger, user.UserName);
        return panel.Value.IsPanelUrl(ReturnUrl) ? Redirect(ReturnUrl!) : RedirectToLocal(ReturnUrl, "/admin/users");
    }
}
