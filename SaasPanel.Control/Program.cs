using SaasPanel.Control.Data;
using SaasPanel.Control.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<ControlDbContext>();

app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapRazorPages();

app.Run();
