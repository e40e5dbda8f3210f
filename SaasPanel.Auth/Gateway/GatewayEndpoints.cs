namespace SaasPanel.Auth.Gateway;

/// <summary>
/// <c>/u/{user}/{**rest}</c>: one catch-all endpoint; <see cref="GatewayForwarder"/> authorizes the caller and
/// forwards to the workspace's container, or answers with a page when there is nothing to forward to.
/// </summary>
public static class GatewayEndpoints
{
    public const string PathPrefix = "/u/";

    public static IEndpointConventionBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        // Resolved once, not per request: the gateway is on every request's path to a workspace.
        var gateway = app.ServiceProvider.GetRequiredService<GatewayForwarder>();
        return app.Map("/u/{user}/{**rest}", gateway.ForwardAsync).WithDisplayName("Gateway").DisableAntiforgery();
    }

    public static string WorkspacePath(string userName) => PathPrefix + userName + "/";
}
