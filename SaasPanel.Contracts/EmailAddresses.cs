using System.Text.RegularExpressions;

namespace SaasPanel.Contracts;

/// <summary>
/// The one email rule: a plain <c>local@domain</c> address (no display name, no spaces or quoting), the domain
/// a dot-separated list of host labels (<c>admin@localhost</c> included). Auth and Control both apply it.
/// </summary>
public static partial class EmailAddresses
{
    public const int MaxLength = 254;

    public static bool IsValid(string? email) => email is { Length: > 0 and <= MaxLength } && PatternRegex().IsMatch(email);

    /// <summary>Why the address is not acceptable, or null when it is.</summary>
    public static string? Validate(string? email) => email switch
    {
        null or "" => "An email address is required.",
        _ when !IsValid(email) => "Enter a valid email address, such as name@example.com.",
        _ => null,
    };

    // \A and \z rather than ^ and $, which in .NET also matches before a final newline.
    [GeneratedRegex(
        @"\A[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex PatternRegex();
}
