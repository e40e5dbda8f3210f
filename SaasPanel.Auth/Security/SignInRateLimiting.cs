using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SaasPanel.Auth.Security;

/// <summary>
/// A fixed window per client network and endpoint on the POSTs that guess passwords or create
/// accounts. It is a named policy on those endpoints, so every spelling routing accepts
/// (<c>/user/login/</c>, <c>/USER/LOGIN</c>) is limited; every other request passes untouched.
/// </summary>
internal static class SignInRateLimiting
{
    public const string PolicyName = "sign-in";

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
                await context.HttpContext.Response.WriteAsync("Too many attempts from your network; please wait a minute and try again.\n", cancellationToken);
            };
            options.AddPolicy(PolicyName, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter($"{context.GetEndpoint()?.DisplayName}|{ClientNetwork.Of(context)}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.Value.PermitLimit,
                        Window = limits.Value.Window,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }
}
