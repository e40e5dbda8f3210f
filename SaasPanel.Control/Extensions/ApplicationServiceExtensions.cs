using SaasPanel.Control.Data;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Control.Extensions;

internal static class ApplicationServiceExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteDatabase<ControlDbContext>("control");

        builder.Services.AddOptions<RuntimeOptions>()
            .BindConfiguration(RuntimeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<DockerEngine>();
        builder.Services.AddHealthChecks()
            .AddCheck<DockerEngineHealthCheck>("docker-engine")
            .AddCheck<UserAppImageHealthCheck>("userapp-image");

        builder.Services.AddProblemDetails();
        builder.Services.AddRazorPages();
    }
}
