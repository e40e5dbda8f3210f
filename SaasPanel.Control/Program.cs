using SaasPanel.Control.Apis;
using SaasPanel.Control.Data;
using SaasPanel.Control.Extensions;
using SaasPanel.Control.Plans;

// healthcheck / backup / restore: the deployed image's verbs (docs/deploy.md).
if (await ServiceCommands.RunAsync(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<ControlDbContext>();
await app.SeedDefaultPlanAsync();

app.UseServiceDefaults();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapControlApi();
app.MapStaticAssets();
app.MapRazorPages();

await app.RunAsync();
return 0;
