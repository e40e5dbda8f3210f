using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Changes;
using SaasPanel.Control.Culling;
using SaasPanel.Control.Data;
using SaasPanel.Control.Pages;
using SaasPanel.Control.Plans;
using SaasPanel.Control.Pool;
using SaasPanel.Control.Reconciler;
using SaasPanel.Control.Runtime;
using SaasPanel.Control.Security;
using SaasPanel.Control.Stats;
using SaasPanel.Control.Telemetry;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Control.Extensions;

internal static class ApplicationServiceExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteDatabase<ControlDbContext>("control");

        builder.Services.AddValidatedOptions<RuntimeOptions>(RuntimeOptions.SectionName);
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>();
        builder.Services.AddValidatedOptions<ReconcilerOptions>(ReconcilerOptions.SectionName);
        builder.Services.AddValidatedOptions<CullingOptions>(CullingOptions.SectionName);
        builder.Services.AddValidatedOptions<PlanOptions>(PlanOptions.SectionName);
        builder.Services.AddValidatedOptions<GatewayLinkOptions>(GatewayLinkOptions.SectionName);
        builder.Services.AddValidatedOptions<ApiAccessOptions>(ApiAccessOptions.SectionName);
        builder.Services.AddValidatedOptions<AuthSessionsOptions>(AuthSessionsOptions.SectionName);
        builder.Services.AddMemoryCache();
        builder.Services.AddHttpClient<AuthSessions>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DockerEngine>();
        builder.Services.AddSingleton<VolumeSizes>();
        builder.Services.AddSingleton<WorkspaceVolumes>();
        builder.Services.AddSingleton<DockerWorkspaceRuntime>();
        builder.Services.AddSingleton<SwarmWorkspaceRuntime>();
        builder.Services.AddSingleton<IWorkspaceRuntime>(services =>
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RuntimeOptions>>().Value.Engine == RuntimeEngine.Swarm
                ? services.GetRequiredService<SwarmWorkspaceRuntime>()
                : services.GetRequiredService<DockerWorkspaceRuntime>());
        builder.Services.AddSingleton<WorkspaceChangeFeed>();
        builder.Services.AddSingleton<WorkspaceReadinessProbe>();
        builder.Services.AddSingleton<ControlTelemetry>();
        builder.Services.AddSingleton<StartupVerification>();
        builder.Services.AddSingleton<WorkspaceConvergence>();
        builder.Services.AddSingleton<WorkspaceReconciler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WorkspaceReconciler>());
        builder.Services.AddSingleton<WarmPool>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WarmPool>());
        builder.Services.AddScoped<WorkspaceCommands>();
        builder.Services.AddScoped<WorkspaceUsageReader>();
        builder.Services.AddHostedService<IdleCuller>();
        builder.Services.AddScoped<ControlStatsReader>();

        builder.Services.AddHealthChecks()
            .AddCheck<EngineHealthCheck>("docker-engine")
            .AddCheck<TemplateImagesHealthCheck>("template-images")
            .AddCheck<StartupVerificationHealthCheck>("startup-verification");

        builder.AddSharedSignIn(options =>
        {
            options.LoginPath = "/login";
            options.AccessDeniedPath = "/login";
            options.Events.OnValidatePrincipal = context =>
                context.HttpContext.RequestServices.GetRequiredService<AuthSessions>().ValidatePrincipalAsync(context);
            // The API answers 401/403 with problem details; only pages redirect to the sign-in form.
            options.Events.OnRedirectToLogin = context => RejectApiOr(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => RejectApiOr(context, StatusCodes.Status403Forbidden);
        }).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(ControlPolicies.Admin, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, CookieAuthenticationDefaults.AuthenticationScheme)
            .RequireRole(SharedSignInExtensions.AdminRole))
            .AddPolicy(ControlPolicies.PanelAdmin, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
                .RequireRole(SharedSignInExtensions.AdminRole));

        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddRazorPages(options => options.Conventions.AuthorizeFolder("/", ControlPolicies.PanelAdmin))
            .AddMvcOptions(options => options.Filters.Add(new UnknownHandlerFilter()));
    }

    private static Task RejectApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
