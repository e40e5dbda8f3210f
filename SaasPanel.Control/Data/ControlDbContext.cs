using Microsoft.EntityFrameworkCore;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Data;

public sealed class ControlDbContext(DbContextOptions<ControlDbContext> options) : DbContext(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ControlDbContext).Assembly);
}
