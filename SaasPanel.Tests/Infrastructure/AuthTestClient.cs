using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasPanel.Auth.Data;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>Auth in memory (real SQLite), talking to a <see cref="FakeControlApi"/> on loopback, with fast retries.</summary>
public static class AuthTestHost
{
    public static ServiceFactory<AuthDbContext> Create(string controlBaseAddress, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IWebHostBuilder>? configure = null, ServiceData? data = null, string environment = "Development")
    {
        var settings = new Dictionary<string, string?>
        {
            ["ControlClient:BaseAddress"] = controlBaseAddress,
            ["ControlClient:ApiKey"] = FakeControlApi.ApiKey,
            ["ChangeStream:ReconnectDelay"] = "00:00:00.050",
            ["ChangeStream:MaxReconnectDelay"] = "00:00:00.250",
            ["Outbox:FirstRetryDelay"] = "00:00:00.050",
            ["Outbox:MaxRetryDelay"] = "00:00:00.250",
            ["Outbox:PollInterval"] = "00:00:00.250",
            ["SignInRateLimit:PermitLimit"] = "10000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ServiceFactory<AuthDbContext>("auth", settings, data, environment, configure);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests look at them).</summary>
    public static AuthTestClient CreateBrowser(this ServiceFactory<AuthDbContext> factory) =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>The same browser for an Auth serving on Kestrel at this loopback port (<c>UseKestrel</c>, <c>StartServer</c>).</summary>
    public static AuthTestClient CreateLoopbackBrowser(int port) =>
        new(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, UseProxy = false })
        {
            BaseAddress = new Uri($"http://localhost:{port}"),
        });
}

/// <summary>Fills in and posts Auth's forms the way a browser does, antiforgery token included.</summary>
public sealed partial class AuthTestClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> RegisterAsync(string userName, string email, string password) =>
        PostFormAsync("/user/register", new() { ["username"] = userName, ["email"] = email, ["password"] = password });

    public Task<HttpResponseMessage> SignInAsync(string userName, string password, string? returnUrl = null) =>
        PostFormAsync("/user/login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl)),
            new() { ["username"] = userName, ["password"] = password });

    public Task<HttpResponseMessage> AdminSignInAsync(string userName = "admin", string password = "admin123") =>
        PostFormAsync("/admin/login", new() { ["username"] = userName, ["password"] = password });

    /// <summary>GETs the page with the form, then posts its fields plus the antiforgery token it carried.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await Http.GetStringAsync(formPage ?? path);
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {formPage ?? path}");
        if (ReturnUrlField().Match(page) is { Success: true } returnUrl && !fields.ContainsKey("ReturnUrl"))
        {
            fields["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl.Groups[1].Value);
        }

        return await Http.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    public static string FieldError(string html, string field) =>
        FieldErrorPattern(field).Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : "";

    private static Regex FieldErrorPattern(string field) => new($"id=\"{field}-error\">([^<]*)<", RegexOptions.CultureInvariant);

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
