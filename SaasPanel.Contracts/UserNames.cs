using System.Text.RegularExpressions;

namespace SaasPanel.Contracts;

/// <summary>
/// A user's name is also their workspace's: a URL segment (<c>/u/&lt;name&gt;/</c>), part of a container name
/// and a label value. Auth checks it at registration and Control at provisioning, with these same rules.
/// </summary>
public static partial class UserNames
{
    /// <summary>The rule as a pattern (for an HTML <c>pattern</c> attribute or an OpenAPI schema).</summary>
    public const string Pattern = "^" + PatternBody + "$";

    public const int MaxLength = 32;

    private const string PatternBody = "[a-z0-9][a-z0-9-]{2,31}";

    /// <summary>Names that collide with the product's own paths, roles or services.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "admin", "administrator", "root", "system", "api", "openapi", "u", "user", "users", "static", "assets", "css", "js",
        "login", "logout", "register", "signin", "signout", "health", "alive", "healthz", "control", "auth",
        "gateway", "www", "mail", "support", "help", "null", "undefined", "saaspanel",
    };

    public static bool IsValid(string? userName) => userName is not null && PatternRegex().IsMatch(userName);

    public static bool IsReserved(string userName) => Reserved.Contains(userName);

    /// <summary>Why the name is not acceptable, or null when it is.</summary>
    public static string? Validate(string? userName) => userName switch
    {
        null or "" => "A user name is required.",
        _ when !IsValid(userName) =>
            "A user name is 3-32 characters: lowercase letters, digits and dashes, starting with a letter or digit.",
        _ when IsReserved(userName) => $"'{userName}' is reserved.",
        _ => null,
    };

    // \A and \z, not the pattern's ^ and $: in .NET, $ also matches before a final newline, and "abc\n" is no name.
    [GeneratedRegex(@"\A" + PatternBody + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex PatternRegex();
}
