using SaasPanel.Contracts;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Control.Workspaces;

/// <summary>What a new workspace needs, checked with the contract's rules for the API and the panel's form.</summary>
public static class ProvisionValidation
{
    /// <summary>Errors by field (<c>user</c>, <c>email</c>, <c>template</c>, <c>ownerId</c>); empty when the request is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(string? userName, string? email, string? template, RuntimeOptions runtime,
        string? ownerId = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (UserNames.Validate(userName) is { } nameError)
        {
            errors["user"] = [nameError];
        }

        if (EmailAddresses.Validate(email) is { } emailError)
        {
            errors["email"] = [emailError];
        }

        if (!string.IsNullOrEmpty(template) && runtime.FindTemplate(template) is null)
        {
            errors["template"] = [$"There is no template '{template}'; choose one of: {string.Join(", ", runtime.Templates.Keys)}."];
        }

        if (ownerId is not null && !IsOwnerId(ownerId))
        {
            errors["ownerId"] = ["An owner id is 1 to 64 letters, digits or '-'."];
        }

        return errors;
    }

    private static bool IsOwnerId(string ownerId) => ownerId.Length is >= 1 and <= 64 && ownerId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
