using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasPanel.Auth.Users;

namespace SaasPanel.Auth.Data;

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> builder)
    {
        builder.ToTable("SignInThrottles");
        builder.HasKey(t => new { t.AccountName, t.Network });
        builder.Property(t => t.AccountName).HasMaxLength(256);
        builder.Property(t => t.Network).HasMaxLength(64);
    }
}
