using System.Text.RegularExpressions;

namespace SaasPanel.Auth.Users;

/// <summary>What a user name may be: it becomes a URL segment (<c>/u/&lt;name&gt;/</c>) and a container name.</summary>
public static partial class UserNameRules
{
    public const string Pattern = "^[a-z0-9][a-z0-9-]{2,31}$";

    /// <summary>Names that collide with the panel's own paths or roles.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "admin", "administrator", "root", "system", "api", "u", "user", "users", "static", "assets", "css", "js",
        "login", "logout", "register", "signin", "signout", "health", "alive", "healthz", "control", "auth",
        "gateway", "www", "mail", "support", "help", "null", "undefined", "saaspanel",
    };

    public static bool IsValid(string? userName) => userName is not null && UserNamePattern().IsMatch(userName);

    public static bool IsReserved(string userName) => Reserved.Contains(userName);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex UserNamePattern();
}
