using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasPanel.Control.Data;

namespace SaasPanel.Control.Pages;

public sealed class IndexModel(ControlDbContext db, HealthCheckService health) : PageModel
{
    public int WorkspaceCount { get; private set; }

    public HealthReportEntry Engine { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        WorkspaceCount = await db.Workspaces.CountAsync(cancellationToken);
        var report = await health.CheckHealthAsync(check => check.Name == "docker-engine", cancellationToken);
        Engine = report.Entries["docker-engine"];
    }
}
