using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages.User;

[EnableRateLimiting(SignInRateLimiting.PolicyName)]
public sealed class RegisterModel(UserAccounts accounts) : FormPageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The cap on workspaces is reached: the page says so instead of offering the form.</summary>
    public bool IsFull { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => IsFull = await accounts.IsSignUpFullAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Our own rules decide (see UserAccounts); model binding's messages would only repeat them.
        ModelState.Clear();
        var result = await accounts.RegisterAsync(Username, Email, Password, cancellationToken);
        if (!result.Succeeded)
        {
            foreach (var (field, message) in result.Errors)
            {
                ModelState.AddModelError(field, message);
            }

            Password = null;
            return Page();
        }

        await SignInAsync(result.User!);
        return LocalRedirect("/user/preparing");
    }
}
