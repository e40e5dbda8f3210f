using System.Security.Cryptography;
using System.Text;
using SaasPanel.Contracts;

namespace SaasPanel.UserApp;

/// <summary>
/// Answers 403 to every request that does not carry this workspace's gateway secret, so a
/// local process that finds the container's loopback port gets nothing.
/// </summary>
public sealed class GatewaySecretMiddleware(RequestDelegate next, WorkspaceIdentity identity)
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(identity.GatewaySecret);

    public Task InvokeAsync(HttpContext context)
    {
        if (_secret.Length == 0 || !CarriesSecret(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("Forbidden: this workspace is reachable only through the SaasPanel gateway.\n");
        }

        return next(context);
    }

    private bool CarriesSecret(HttpRequest request) =>
        request.Headers.TryGetValue(Headers.GatewaySecret, out var values)
        && values.Count == 1
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(values[0] ?? ""), _secret);
}
