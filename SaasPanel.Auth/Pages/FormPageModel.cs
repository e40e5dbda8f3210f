using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Pages;

/// <summary>What the sign-in and registration forms share: field errors by form field name, signing in, safe return URLs.</summary>
public abstract class FormPageModel : PageModel
{
    /// <summary>The first error for a form field (or <c>""</c> for the form as a whole), shown beside it.</summary>
    public string? ErrorFor(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    protected Task SignInAsync(Users.User user) => HttpContext.SignInAsync(UserPrincipals.Create(user));

    /// <summary>Only safe local paths (<see cref="ReturnUrls"/>), so a crafted link cannot send someone elsewhere after signing in.</summary>
    protected IActionResult RedirectToLocal(string? returnUrl, string fallback) =>
        Url.IsSafeReturnUrl(returnUrl) ? LocalRedirect(returnUrl) : LocalRedirect(fallback);

    /// <summary>One answer for every refusal, so it does not tell whether the name exists or is being throttled.</summary>
    protected void AddSignInRefusedError() => ModelState.AddModelError("",
        "Wrong user name or password. After several failed attempts, sign-in from your network pauses for a while; please try again later.");
}
