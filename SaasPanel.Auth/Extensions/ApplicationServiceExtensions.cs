using SaasPanel.Auth.Data;

namespace SaasPanel.Auth.Extensions;

internal static class ApplicationServiceExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteDatabase<AuthDbContext>("auth");

        builder.Services.AddProblemDetails();
        builder.Services.AddRazorPages();
    }
}
