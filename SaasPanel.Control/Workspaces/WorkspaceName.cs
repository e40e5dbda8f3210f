using System.Text.RegularExpressions;

namespace SaasPanel.Control.Workspaces;

/// <summary>
/// The rules for a workspace's (user's) name: it becomes a URL segment (<c>/u/&lt;name&gt;/</c>),
/// a container name and a label value, so it is short, lowercase and never a reserved word.
/// </summary>
public static partial class WorkspaceName
{
    public const int MaxLength = 32;

    private static readonly HashSet<string> Reserved =
    [
        "admin", "administrator", "root", "api", "u", "user", "users", "static", "assets", "login", "logout",
        "register", "health", "alive", "system", "control", "auth", "gateway", "saaspanel", "www", "openapi",
    ];

    /// <summary>Returns why the name is not acceptable, or null when it is.</summary>
    public static string? Validate(string? name) => name switch
    {
        null or "" => "A user name is required.",
        _ when !Pattern().IsMatch(name) =>
            "A user name is 3-32 characters: lowercase letters, digits and dashes, starting with a letter or digit.",
        _ when Reserved.Contains(name) => $"'{name}' is reserved.",
        _ => null,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
