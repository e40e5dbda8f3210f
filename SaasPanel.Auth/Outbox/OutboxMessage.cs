using System.Diagnostics;

namespace SaasPanel.Auth.Outbox;

/// <summary>
/// A change Control must hear about, written in the same transaction as the user change it
/// describes, so neither can exist without the other.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public OutboxMessageKind Kind { get; set; }

    public required string UserName { get; set; }

    public string? Email { get; set; }

    /// <summary>For a provision: the account's <see cref="Users.User.OwnerId"/>, which Control binds the workspace to.</summary>
    public string? OwnerId { get; set; }

    /// <summary>Who asked for the change (the user themself, or an admin), so Control's audit log names them.</summary>
    public string? RequestedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>Set when Control rejected the message for good (a 4xx); it is never retried.</summary>
    public DateTime? FailedAt { get; set; }

    /// <summary>The W3C <c>traceparent</c> of the request that wrote the message, so its delivery continues that trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>A new account's workspace, bound to <paramref name="ownerId"/>, asked for by the user or the admin who approved them.</summary>
    public static OutboxMessage Provision(string userName, string email, string ownerId, string requestedBy, DateTime now) =>
        New(OutboxMessageKind.ProvisionWorkspace, userName, email, now, ownerId, requestedBy);

    public static OutboxMessage Deprovision(string userName, string requestedBy, DateTime now) =>
        New(OutboxMessageKind.DeprovisionWorkspace, userName, email: null, now, ownerId: null, requestedBy);

    private static OutboxMessage New(OutboxMessageKind kind, string userName, string? email, DateTime now, string? ownerId,
        string requestedBy) => new()
        {
            Kind = kind,
            UserName = userName,
            Email = email,
            OwnerId = ownerId,
            RequestedBy = requestedBy,
            CreatedAt = now,
            NextAttemptAt = now,
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null,
        };
}

public enum OutboxMessageKind
{
    ProvisionWorkspace,
    DeprovisionWorkspace,
}
