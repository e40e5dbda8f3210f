using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Data;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.HasIndex(w => w.UserName).IsUnique();
        builder.Property(w => w.UserName).HasMaxLength(32);
        builder.Property(w => w.Email).HasMaxLength(254);
        builder.Property(w => w.DesiredState).HasConversion<string>().HasMaxLength(16);
    }
}
