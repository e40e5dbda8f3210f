using System.Text.RegularExpressions;

namespace SaasPanel.Control.Plans;

public static partial class PlanNames
{
    public const string Pattern = "^[a-z0-9][a-z0-9-]{0,31}$";

    public static string? Validate(string? name) =>
        name is not null && NameRegex().IsMatch(name) ? null : "A plan's name is 1 to 32 lowercase letters, digits or '-', starting with a letter or digit.";

    [GeneratedRegex(Pattern)]
    private static partial Regex NameRegex();
}
