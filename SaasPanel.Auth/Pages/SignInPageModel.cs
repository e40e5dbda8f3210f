using Microsoft.AspNetCore.Mvc;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages;

/// <summary>What the user and the administrator sign-in forms share: their fields and the password check.</summary>
public abstract class SignInPageModel(UserAccounts accounts) : FormPageModel
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

    /// <summary>The user whose name and password were posted, or null with the reasons next to the fields.</summary>
    protected async Task<Users.User?> CheckCredentialsAsync(CancellationToken cancellationToken)
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
            return null;
        }

        var user = await accounts.CheckPasswordAsync(Username, Password, ClientNetwork.Of(HttpContext), cancellationToken);
        if (user is null)
        {
            AddSignInRefusedError();
        }

        return user;
    }
}
