using SaasPanel.Control.Security;

namespace SaasPanel.Control.Apis;

/// <summary>The REST API under <c>/api</c>, for the service key or a signed-in admin (with antiforgery for changes).</summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization(ControlPolicies.Admin)
            .AddEndpointFilter<CookieAntiforgeryFilter>();
        api.MapWorkspacesApi();
        api.MapPlansApi();
        api.MapWorkspaceChangesApi();
        api.MapStatsApi();
        api.MapAuditApi();
        return app;
    }
}
