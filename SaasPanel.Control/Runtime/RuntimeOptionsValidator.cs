using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>Checks the templates at start: at least one, the default among them, each one complete.</summary>
internal sealed partial class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options)
    {
        var failures = new List<string>();
        if (!options.Templates.ContainsKey(options.DefaultTemplate))
        {
            failures.Add($"Runtime:DefaultTemplate '{options.DefaultTemplate}' is not among Runtime:Templates " +
                $"({string.Join(", ", options.Templates.Keys)}).");
        }

        foreach (var (templateName, template) in options.Templates)
        {
            if (!TemplateName().IsMatch(templateName))
            {
                failures.Add($"Template name '{templateName}' must be 1-31 lowercase letters, digits or dashes.");
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(template, new ValidationContext(template), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"Runtime:Templates:{templateName}: {r.ErrorMessage}"));
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}$", RegexOptions.CultureInvariant)]
    internal static partial Regex TemplateName();
}
