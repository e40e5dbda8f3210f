using System.Net;
using System.Text.RegularExpressions;

namespace SaasPanel.Benchmarks.Panel;

/// <summary>
/// A browser at Auth's address: keeps its cookies, does not follow redirects, and fills in forms with
/// the antiforgery token the form page carried.
/// </summary>
internal sealed partial class PanelBrowser : IDisposable
{
    /// <summary>The Development administrator every AppHost run has (DESIGN.md).</summary>
    private const string AdminUserName = "admin";
    private const string AdminPassword = "admin123";

    private readonly Uri _authAddress;
    private readonly CookieContainer _cookies = new();

    public PanelBrowser(Uri authAddress)
    {
        _authAddress = authAddress;
        Http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = authAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public HttpClient Http { get; }

    /// <summary>The <c>Cookie</c> header this browser sends to Auth (its sign-in), for a load generator to send too.</summary>
    public string CookieHeader => _cookies.GetCookieHeader(_authAddress);

    /// <summary>Opens the sign-up page; what a person does before typing, so it is not part of a timed registration.</summary>
    public Task<Form> OpenRegistrationAsync(CancellationToken cancellationToken) => OpenFormAsync("/user/register", cancellationToken);

    /// <summary>Posts the sign-up form; Auth answers with a redirect to the waiting page when it took the registration.</summary>
    public async Task RegisterAsync(Form form, string userName, string password, CancellationToken cancellationToken)
    {
        using var response = await form.PostAsync(Http, new()
        {
            ["username"] = userName,
            ["email"] = $"{userName}@bench.example",
            ["password"] = password,
        }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Registering {userName} answered {(int)response.StatusCode}, not a redirect.");
        }
    }

    /// <summary>Asks for <c>/u/&lt;user&gt;/</c> through the gateway until it answers 200 (it shows a waiting page before).</summary>
    public Task WaitForWorkspaceAsync(string userName, TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken) =>
        Poll.UntilOkAsync(Http, () => new HttpRequestMessage(HttpMethod.Get, $"/u/{userName}/"), interval, timeout,
            $"/u/{userName}/ to answer 200", cancellationToken);

    /// <summary>Signs in as the Development administrator; the cookie also opens Control's panel (single sign-on).</summary>
    public async Task SignInAsAdminAsync(CancellationToken cancellationToken)
    {
        var form = await OpenFormAsync("/admin/login", cancellationToken);
        using var response = await form.PostAsync(Http, new() { ["username"] = AdminUserName, ["password"] = AdminPassword }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The administrator sign-in answered {(int)response.StatusCode}, not a redirect.");
        }
    }

    private async Task<Form> OpenFormAsync(string path, CancellationToken cancellationToken)
    {
        var page = await Http.GetStringAsync(path, cancellationToken);
        var token = AntiforgeryField().Match(page);
        return token.Success
            ? new Form(path, WebUtility.HtmlDecode(token.Groups["token"].Value))
            : throw new InvalidOperationException($"{path} carries no antiforgery token.");
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>A form as the page served it: where it posts and the antiforgery token it carried.</summary>
    public sealed record Form(string Path, string AntiforgeryToken)
    {
        public Task<HttpResponseMessage> PostAsync(HttpClient http, Dictionary<string, string> fields, CancellationToken cancellationToken)
        {
            fields["__RequestVerificationToken"] = AntiforgeryToken;
            return http.PostAsync(Path, new FormUrlEncodedContent(fields), cancellationToken);
        }
    }
}
