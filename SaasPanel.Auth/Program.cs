using SaasPanel.Auth.Apis;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Extensions;
using SaasPanel.Auth.Gateway;
using SaasPanel.Auth.Users;

// healthcheck / backup / restore: the deployed image's verbs (docs/deploy.md).
if (await ServiceCommands.RunAsync(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<AuthDbContext>();
await app.SeedAdminAsync();

app.UseServiceDefaults();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapRazorPages();
app.MapWorkspaceStatusApi();
app.MapSessionApi();
app.MapGateway();

await app.RunAsync();
return 0;
