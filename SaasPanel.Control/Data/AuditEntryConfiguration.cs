using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasPanel.Contracts;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Data;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.UserName, a.At });
        builder.Property(a => a.Actor).HasMaxLength(64);
        builder.Property(a => a.Action).HasMaxLength(32);
        builder.Property(a => a.UserName).HasMaxLength(UserNames.MaxLength);
        builder.Property(a => a.Source).HasMaxLength(64);
        builder.Property(a => a.Outcome).HasMaxLength(32);
        builder.Property(a => a.Detail).HasMaxLength(1000);
    }
}
