using SaasPanel.Auth.Data;
using SaasPanel.Auth.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.MigrateDatabaseAsync<AuthDbContext>();

app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapRazorPages();

app.Run();
