using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasPanel.Auth.Outbox;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Data;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.UserName).HasMaxLength(UserNames.MaxLength);
        builder.Property(m => m.Email).HasMaxLength(EmailAddresses.MaxLength);
        builder.Property(m => m.OwnerId).HasMaxLength(64);
        builder.Property(m => m.RequestedBy).HasMaxLength(UserNames.MaxLength);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.Property(m => m.TraceParent).HasMaxLength(55);
        // The dispatcher's query: undelivered, not given up on, due.
        builder.HasIndex(m => new { m.DeliveredAt, m.FailedAt, m.NextAttemptAt });
    }
}
