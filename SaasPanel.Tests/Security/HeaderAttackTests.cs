using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;
using SaasPanel.Control.Data;
using SaasPanel.Tests.Infrastructure;
using SaasPanel.UserApp;

namespace SaasPanel.Tests.Security;

/// <summary>What an attacker learns or abuses from response headers and the health endpoint.</summary>
public sealed class HeaderAttackTests
{
    [Theory]
    [InlineData("/user/login")]
    [InlineData("/no-such-page")]
    [InlineData("/health")]
    [InlineData("/u/nobody/")]
    public async Task Every_Auth_response_forbids_framing_sniffing_inline_script_and_leaking_the_referrer(string path)
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress);
        using var client = auth.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        AssertSecurityHeaders(await client.GetAsync(path));
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/api/workspaces")]
    [InlineData("/health")]
    public async Task Every_Control_response_forbids_framing_sniffing_inline_script_and_leaking_the_referrer(string path)
    {
        await using var control = new ServiceFactory<ControlDbContext>("control");
        using var client = control.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        AssertSecurityHeaders(await client.GetAsync(path));
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_every_cookie_Auth_writes_is_Secure_the_flash_message_too()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress, new Dictionary<string, string?> { ["SignIn:SecureCookies"] = "true" });

        Assert.Equal(CookieSecurePolicy.Always, auth.Services.GetRequiredService<IOptions<CookieTempDataProviderOptions>>().Value.Cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.Always, auth.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.SecurePolicy);
    }

    [Fact]
    public async Task The_workspace_page_allows_its_own_style_sheet_by_hash_and_nothing_inline_besides()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        var identity = new WorkspaceIdentity("secret", "/nowhere", DateTimeOffset.UnixEpoch);

        await WorkspacePage.Render(context.Request, identity, TimeProvider.System).ExecuteAsync(context);

        var page = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
        var styleSheet = page.Split("<style>")[1].Split("</style>")[0];
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(styleSheet)));
        var csp = context.Response.Headers.ContentSecurityPolicy.ToString();
        Assert.Contains($"style-src 'sha256-{hash}'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("<script", page);
    }

    [Fact]
    public async Task Anonymous_health_says_only_the_status_word_and_the_api_key_gets_the_detail()
    {
        await using var control = new ServiceFactory<ControlDbContext>("control");
        using var anonymous = control.CreateClient();
        using var api = control.CreateApiClient();

        var hidden = await (await anonymous.GetAsync("/health")).Content.ReadAsStringAsync();
        var detail = await (await api.GetAsync("/health")).Content.ReadAsStringAsync();

        Assert.Contains(hidden, new[] { "Healthy", "Degraded", "Unhealthy" });
        Assert.Contains("docker-engine", detail);
    }

    [Fact]
    public async Task Anonymous_health_of_Auth_says_only_the_status_word()
    {
        await using var control = await FakeControlApi.StartNewAsync();
        await using var auth = AuthTestHost.Create(control.BaseAddress);
        using var anonymous = auth.CreateClient();
        using var api = auth.CreateApiClient();

        var hidden = await (await anonymous.GetAsync("/health")).Content.ReadAsStringAsync();
        var detail = await (await api.GetAsync("/health")).Content.ReadAsStringAsync();

        Assert.Contains(hidden, new[] { "Healthy", "Degraded", "Unhealthy" });
        Assert.Contains("\"entries\"", detail);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(";", values) : "";
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("max-age=31536000", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("1; mode=block", string.Join(",", response.Headers.GetValues("X-XSS-Protection")));
    }
}
