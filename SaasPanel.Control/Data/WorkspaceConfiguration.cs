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
        builder.Property(w => w.Email).HasMaxLength(254);
        builder.Property(w => w.GatewaySecret).HasMaxLength(64);
        builder.Property(w => w.DesiredState).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.ContainerId).HasMaxLength(64);
        builder.Property(w => w.LastError).HasMaxLength(1000);
    }
}
