namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// A fact that needs a multi-node swarm lab of its own, which it creates and removes: skipped unless
/// <c>SAASPANEL_SWARM_CHECK_LAB</c> names the lab it may use, as <c>name:net</c> (e.g. <c>check:10.231.7</c>).
/// <c>scripts/swarm-check</c> sets it; the whole suite (and <c>scripts/test</c>'s lab "test") never does.
/// </summary>
public sealed class SwarmLabFactAttribute : FactAttribute
{
    public const string Variable = "SAASPANEL_SWARM_CHECK_LAB";

    public SwarmLabFactAttribute()
    {
        if (Lab is null)
        {
            Skip = $"needs a swarm lab of its own: {Variable}=name:net (scripts/swarm-check sets it)";
        }
    }

    /// <summary>The lab the variable names, or null.</summary>
    public static SwarmLab? Lab => SwarmLab.FromVariable(Variable);
}
