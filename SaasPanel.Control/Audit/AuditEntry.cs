namespace SaasPanel.Control.Audit;

/// <summary>Who did what to which workspace, when, from where, and how it went.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary><c>api-key</c>, an admin's user name, or <c>reconciler</c>.</summary>
    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string UserName { get; set; }

    /// <summary>The caller's address for API calls; empty for the reconciler.</summary>
    public string? Source { get; set; }

    public required string Outcome { get; set; }

    public string? Detail { get; set; }
}
