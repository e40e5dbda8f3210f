using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasPanel.Control.Plans;

namespace SaasPanel.Control.Data;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.HasKey(p => p.Name);
        builder.Property(p => p.Name).HasMaxLength(32);
        builder.Ignore(p => p.Limits);
    }
}
