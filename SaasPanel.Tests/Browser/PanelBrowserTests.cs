using Microsoft.Playwright;
using SaasPanel.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SaasPanel.Tests.Browser;

/// <summary>
/// Issue 6's browser tests: Debian's Chromium against the whole system on the real engine, as an
/// operator and as a new user would use it. Each main page is saved as a screenshot.
/// </summary>
[Collection(OperatorPanelCollection.Name)]
public sealed class PanelBrowserTests(PanelAppHostFixture panel, Chromium chromium)
{
    private static readonly LocatorAssertionsToHaveTextOptions UntilRunning = new() { Timeout = 60_000 };

    [Fact]
    public async Task An_admin_runs_a_workspace_from_the_panel_without_a_second_sign_in()
    {
        const string user = "panel-pat";
        var page = await chromium.NewPageAsync();

        await page.GotoAsync($"{panel.AuthAddress}admin/login");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", "admin123");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Users");
        await Chromium.ScreenshotAsync(page, "auth-admin-users");

        // The gateway's sign-in is the panel's too.
        await page.GotoAsync(panel.ControlAddress.AbsoluteUri);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        Assert.StartsWith(panel.ControlAddress.AbsoluteUri, page.Url);

        await page.FillAsync("#Provision_UserName", user);
        await page.FillAsync("#Provision_Email", $"{user}@example.com");
        await page.ClickAsync("#provision button[type=submit]");
        var row = page.Locator($"tr[data-workspace='{user}']");
        await Expect(row).ToBeVisibleAsync();

        // It turns Running on this very page: the change stream updates it, no reload.
        await page.EvaluateAsync("window.notReloaded = true");
        await Expect(row.Locator("[data-state]")).ToHaveTextAsync("Running", UntilRunning);
        Assert.True(await page.EvaluateAsync<bool>("window.notReloaded === true"));
        await Expect(page.Locator("[data-live]")).ToHaveTextAsync("live");
        await Chromium.ScreenshotAsync(page, "control-overview");

        await row.Locator("button[value=stop]").ClickAsync();
        await Expect(page.Locator($"tr[data-workspace='{user}'] [data-state]")).ToHaveTextAsync("Stopped", UntilRunning);
        await page.Locator($"tr[data-workspace='{user}'] button[value=start]").ClickAsync();
        await Expect(page.Locator($"tr[data-workspace='{user}'] [data-state]")).ToHaveTextAsync("Running", UntilRunning);

        await page.ClickAsync($"tr[data-workspace='{user}'] a[href='/workspaces/{user}']");
        await Expect(page.Locator("h1")).ToHaveTextAsync(user);
        await Expect(page.Locator("#logs")).ToContainTextAsync("Application started");
        await Expect(page.Locator("[data-stat=memory]")).ToContainTextAsync("MiB");
        await Expect(page.Locator("[data-stat=pids]")).ToContainTextAsync(" of 128");
        await Chromium.ScreenshotAsync(page, "control-workspace");

        // The table reads the use of its running rows once, when the page loads.
        await page.GotoAsync($"{panel.ControlAddress}?q={user}");
        await Expect(page.Locator($"tr[data-workspace='{user}'] [data-row-stats]")).ToContainTextAsync("of 128 processes");

        await page.GotoAsync($"{panel.ControlAddress}audit?user={user}");
        await Expect(page.Locator("table.audit")).ToContainTextAsync("provision");
        await Expect(page.Locator("table.audit")).ToContainTextAsync("stop");
        await Chromium.ScreenshotAsync(page, "control-audit");

        await page.GotoAsync($"{panel.ControlAddress}workspaces/{user}/delete");
        await Chromium.ScreenshotAsync(page, "control-delete");
        await page.ClickAsync("button.danger");
        await Expect(page.Locator("#message")).ToContainTextAsync($"Deleting {user}");
        await Eventually.AssertAsync(async () => await panel.GetWorkspaceAsync(user) is null, TimeSpan.FromSeconds(60), $"{user} to be gone");
        Assert.Empty(await panel.ContainersOfAsync(user));
        await page.GotoAsync($"{panel.ControlAddress}?q={user}");
        await Expect(page.Locator($"tr[data-workspace='{user}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_new_user_registers_and_lands_in_their_own_app()
    {
        const string user = "browser-bea";
        var page = await chromium.NewPageAsync();

        await page.GotoAsync($"{panel.AuthAddress}user/register");
        await page.FillAsync("#username", user);
        await page.FillAsync("#email", $"{user}@example.com");
        await page.FillAsync("#password", "bea-password");
        await Chromium.ScreenshotAsync(page, "auth-register");
        await page.ClickAsync("button[type=submit]");

        // The "being prepared" page moves on by itself.
        await page.WaitForURLAsync($"{panel.AuthAddress}u/{user}/", new PageWaitForURLOptions { Timeout = 60_000 });
        await Expect(page.Locator("#username")).ToHaveTextAsync(user);
        await Expect(page.Locator("body")).ToContainTextAsync($"{user}@example.com");
        await Chromium.ScreenshotAsync(page, "userapp");
    }
}
