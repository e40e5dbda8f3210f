using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Plans;

/// <summary>Section <c>Plans</c>: the plan a new workspace gets.</summary>
public sealed class PlanOptions
{
    public const string SectionName = "Plans";

    /// <summary>The plan every workspace had before there were plans.</summary>
    public const string Standard = "standard";

    /// <summary>The plan of a new workspace; created at start from the Runtime and Culling settings when it does not exist.</summary>
    [Required]
    [RegularExpression(PlanNames.Pattern)]
    public string Default { get; set; } = Standard;
}
