using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasPanel.Auth.Users;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Data;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.HasIndex(u => u.UserName).IsUnique();
        builder.HasIndex(u => u.Email).IsUnique();
        builder.Property(u => u.UserName).HasMaxLength(UserNames.MaxLength);
        builder.Property(u => u.Email).HasMaxLength(EmailAddresses.MaxLength);
        builder.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.SecurityStamp).HasMaxLength(64);
        builder.Ignore(u => u.IsAdmin);
        builder.Ignore(u => u.OwnerId);
    }
}
