using System.Net.Mail;

namespace SaasPanel.Control.Workspaces;

/// <summary>What a new workspace needs, checked the same way for the API and the panel's form.</summary>
public static class ProvisionValidation
{
    /// <summary>Errors by field (<c>user</c>, <c>email</c>); empty when the request is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(string? userName, string? email)
    {
        var errors = new Dictionary<string, string[]>();
        if (WorkspaceName.Validate(userName) is { } nameError)
        {
            errors["user"] = [nameError];
        }

        if (email is not { Length: > 0 and <= 254 } || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            errors["email"] = ["A valid email address is required."];
        }

        return errors;
    }
}
