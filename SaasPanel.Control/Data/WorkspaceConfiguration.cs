using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasPanel.Contracts;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Data;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.HasIndex(w => w.UserName).IsUnique();
        builder.HasIndex(w => w.State);
        builder.Property(w => w.UserName).HasMaxLength(UserNames.MaxLength);
        builder.Property(w => w.Email).HasMaxLength(EmailAddresses.MaxLength);
        builder.Property(w => w.Template).HasMaxLength(32);
        builder.Property(w => w.Plan).HasMaxLength(32).HasDefaultValue(Plans.PlanOptions.Standard);
        builder.HasIndex(w => w.Plan);
        builder.Property(w => w.Endpoint).HasMaxLength(256);
        builder.Property(w => w.GatewaySecret).HasMaxLength(64);
        builder.Property(w => w.DesiredState).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.State).HasConversion<string>().HasMaxLength(16);
        // Every write bumps it; a command that read an older row retries instead of overwriting a newer one.
        builder.Property(w => w.Generation).IsConcurrencyToken();
        builder.Property(w => w.ContainerId).HasMaxLength(64);
        builder.Property(w => w.VolumeName).HasMaxLength(255);
        // A claimed pool member's volume is one workspace's files, never two's.
        builder.HasIndex(w => w.VolumeName).IsUnique();
        builder.Property(w => w.LastError).HasMaxLength(1000);
    }
}
