using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SaasPanel.Auth.Security;

/// <summary>
/// A fixed window per client address and form on the POSTs that guess passwords or create
/// accounts; every other request passes untouched (the gateway must stay cheap).
/// </summary>
internal static class SignInRateLimiting
{
    private static readonly string[] s_guardedPaths = ["/user/login", "/user/register", "/admin/login"];

    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services)
    {
        services.AddValidatedOptions<SignInRateLimitOptions>(SignInRateLimitOptions.SectionName);

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInRateLimitOptions>>((options, limits) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)limits.Value.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.HttpContext.Response.WriteAsync("Too many attempts from your address; please wait a minute and try again.\n", cancellationToken);
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                GuardedPath(context) is { } path
                    ? RateLimitPartition.GetFixedWindowLimiter($"{path}|{context.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.Value.PermitLimit,
                        Window = limits.Value.Window,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }

    private static string? GuardedPath(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return null;
        }

        foreach (var path in s_guardedPaths)
        {
            if (context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase))
            {
                return path;
            }
        }

        return null;
    }
}
