using SaasPanel.Control.Apis;
using SaasPanel.Control.Data;
using SaasPanel.Control.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<ControlDbContext>();

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

app.Run();
