using Microsoft.EntityFrameworkCore;
using SaasPanel.Control.Audit;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Data;

public sealed class ControlDbContext(DbContextOptions<ControlDbContext> options) : DbContext(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ControlDbContext).Assembly);
}
