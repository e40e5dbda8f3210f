using SaasPanel.Control.Data;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Audit;

/// <summary>Writes audit rows: every API action and every transition the reconciler makes.</summary>
public static class AuditLog
{
    public const string ReconcilerActor = "reconciler";

    public const string CullerActor = "idle-culler";

    /// <summary>Every action written here: what people asked for, then what the reconciler did.</summary>
    public static readonly IReadOnlyList<string> Actions =
        ["provision", "update", "start", "stop", "restart", "pin", "unpin", "plan", "culled", "delete", "transition", "prune", "remove"];

    public static void Record(ControlDbContext db, TimeProvider clock, string actor, string action, string userName,
        string outcome, string? detail = null, string? source = null) =>
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action,
            UserName = userName,
            Outcome = outcome,
            Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
            Source = source,
        });
}
