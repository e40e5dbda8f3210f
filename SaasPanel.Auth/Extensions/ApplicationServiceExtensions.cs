using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using SaasPanel.Auth.ControlApi;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Errors;
using SaasPanel.Auth.Gateway;
using SaasPanel.Auth.Outbox;
using SaasPanel.Auth.Security;
using SaasPanel.Auth.Telemetry;
using SaasPanel.Auth.Users;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Extensions;

internal static class ApplicationServiceExtensions
{
    public const string AdminPolicy = "admin";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddSqliteDatabase<AuthDbContext>("auth");

        services.AddValidatedOptions<AccountOptions>(AccountOptions.SectionName);
        services.AddValidatedOptions<SignUpOptions>(SignUpOptions.SectionName);
        services.AddValidatedOptions<AdminOptions>(AdminOptions.SectionName);
        services.AddSingleton<IPostConfigureOptions<AdminOptions>, AdminPasswordSource>();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddValidatedOptions<ControlClientOptions>(ControlClientOptions.SectionName);
        services.AddValidatedOptions<ChangeStreamOptions>(ChangeStreamOptions.SectionName);
        services.AddValidatedOptions<OutboxOptions>(OutboxOptions.SectionName);
        services.AddValidatedOptions<GatewayOptions>(GatewayOptions.SectionName);
        services.AddValidatedOptions<WorkspaceActivityOptions>(WorkspaceActivityOptions.SectionName);
        services.AddValidatedOptions<ControlPanelLinkOptions>(ControlPanelLinkOptions.SectionName);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuthTelemetry>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<UserSessionValidator>();
        services.AddScoped<SignInThrottles>();
        services.AddHostedService<SignInThrottlePruning>();
        services.AddScoped<UserAccounts>();

        builder.AddSharedSignIn(options =>
        {
            options.LoginPath = "/user/login";
            options.LogoutPath = "/user/logout";
            options.Events.OnValidatePrincipal = context =>
                context.HttpContext.RequestServices.GetRequiredService<UserSessionValidator>().ValidatePrincipalAsync(context);
            options.Events.OnRedirectToLogin = context =>
            {
                // Admin pages have their own sign-in form; everything else uses the user's.
                var redirect = context.Request.Path.StartsWithSegments("/admin")
                    ? context.RedirectUri.Replace(options.LoginPath, "/admin/login", StringComparison.Ordinal)
                    : context.RedirectUri;
                context.Response.Redirect(redirect);
                return Task.CompletedTask;
            };
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(SharedSignInExtensions.AdminRole));
        services.AddAntiforgery(options => options.Cookie.Name = "saaspanel.antiforgery");
        services.AddSignInRateLimiting();
        // An admin signing in for the panel is redirected there from the form post, which form-action governs too.
        services.AddOptions<SecurityHeadersOptions>().Configure<IOptions<ControlPanelLinkOptions>>((headers, panel) =>
            headers.FormActionSources.Add(panel.Value.Url.GetLeftPart(UriPartial.Authority)));

        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxDispatcher>();
        // The outbox is the retry policy for these calls; a second one underneath would only stall the dispatcher.
        services.AddHttpClient<ControlApiClient>(ConfigureControlClient).WithoutServiceDefaultsResilience();

        services.AddSingleton<GatewayRouteTable>();
        services.AddSingleton<GatewayAccess>();
        services.AddSingleton<WorkspaceWaker>();
        services.AddSingleton<WorkspaceActivity>();
        services.AddHostedService<WorkspaceActivityReporter>();
        services.AddSingleton<GatewayHttpClient>();
        services.AddSingleton<GatewayForwarder>();
        services.AddSingleton<IPostConfigureOptions<AspNetCoreTraceInstrumentationOptions>, GatewayTraceSampling>();
        services.AddHttpForwarder();
        services.AddHostedService<WorkspaceChangeStream>();
        services.AddHttpClient(WorkspaceChangeStream.HttpClientName, (provider, http) =>
            {
                ConfigureControlClient(provider, http);
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The change stream is one endless response: the standard handler's timeouts would cut it.
            .WithoutServiceDefaultsResilience();

        services.AddProblemDetails();
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        services.Configure<RouteOptions>(options => options.LowercaseUrls = true);
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Admin", AdminPolicy);
            options.Conventions.AllowAnonymousToPage("/Admin/Login");
            options.Conventions.AuthorizePage("/User/Preparing");
            options.Conventions.AuthorizePage("/User/Workspace");
        });
    }

    private static void ConfigureControlClient(IServiceProvider provider, HttpClient http)
    {
        var control = provider.GetRequiredService<IOptions<ControlClientOptions>>().Value;
        http.BaseAddress = control.BaseAddress;
        http.DefaultRequestHeaders.Add(Headers.ApiKey, control.ApiKey);
    }

    /// <summary>Drops the standard resilience handler that ServiceDefaults adds to every client.</summary>
    private static void WithoutServiceDefaultsResilience(this IHttpClientBuilder client)
    {
#pragma warning disable EXTEXP0001 // Experimental, but the supported way to undo ConfigureHttpClientDefaults for one client.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
