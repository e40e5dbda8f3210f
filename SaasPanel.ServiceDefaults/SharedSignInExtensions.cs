using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One sign-in cookie for the whole panel: Auth (:5000) issues it and Control (:5001) reads it,
/// through a shared Data Protection key ring (<c>DataProtection:KeyDirectory</c>) and one cookie
/// name. Browsers do not separate cookies by port, so an admin signed in on :5000 is signed in on :5001.
/// </summary>
public static class SharedSignInExtensions
{
    public const string CookieName = "saaspanel.session";
    public const string ApplicationName = "SaasPanel";
    public const string AdminRole = "admin";
    public const string UserRole = "user";

    public static AuthenticationBuilder AddSharedSignIn(this IHostApplicationBuilder builder,
        Action<CookieAuthenticationOptions>? configure = null)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (builder.Configuration["DataProtection:KeyDirectory"] is { Length: > 0 } keyDirectory)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keyDirectory));
        }

        // Behind a TLS reverse proxy the service itself sees plain HTTP: SignIn:SecureCookies marks the cookies Secure anyway.
        var cookieSecurity = builder.Configuration.GetValue<bool>("SignIn:SecureCookies")
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;
        builder.Services.Configure<AntiforgeryOptions>(options => options.Cookie.SecurePolicy = cookieSecurity);
        builder.Services.Configure<CookieTempDataProviderOptions>(options => options.Cookie.SecurePolicy = cookieSecurity);

        var authentication = builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = cookieSecurity;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                configure?.Invoke(options);
            });
        // After AddCookie's own post-configuration, which creates the Data Protection ticket format this wraps.
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .PostConfigure(options => options.TicketDataFormat = new CachedTicketFormat(options.TicketDataFormat));
        return authentication;
    }
}
