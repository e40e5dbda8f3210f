using System.Net;
using System.Text.Json;
using Docker.DotNet;
using Microsoft.Playwright;
using SaasPanel.Control.Runtime;
using SaasPanel.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SaasPanel.Tests.Browser;

/// <summary>Issue 15's self-service: a user runs their own workspace from <c>/user/workspace</c>, then deletes their account.</summary>
[Collection(OperatorPanelCollection.Name)]
public sealed class SelfServiceBrowserTests(PanelAppHostFixture panel, Chromium chromium)
{
    private const string User = "self-sam";
    private const string Password = "sam-password";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_user_restarts_stops_and_starts_their_workspace_reads_its_logs_and_deletes_their_account()
    {
        var page = await chromium.NewPageAsync();
        await RegisterAsync(page);
        using var docker = DockerTestEngine.CreateClient();

        await page.GotoAsync($"{panel.AuthAddress}user/workspace");
        await ReloadUntilStateAsync(page, "Running");
        var firstStart = await StartedAtAsync(docker);
        await Expect(page.Locator("#workspace-logs")).ToContainTextAsync("Application started");
        await Expect(page.Locator("#workspace-volume")).ToContainTextAsync("MiB");
        await Chromium.ScreenshotAsync(page, "auth-user-workspace");

        await ClickAsync(page, "Restart");
        await Eventually.AssertAsync(async () => await StartedAtAsync(docker) != firstStart, Converge, "the container to restart");
        await ReloadUntilStateAsync(page, "Running");

        await ClickAsync(page, "Stop");
        await ReloadUntilStateAsync(page, "Stopped");
        Assert.False((await docker.Containers.InspectContainerAsync(await ContainerIdAsync())).State.Running);

        await ClickAsync(page, "Start");
        await ReloadUntilStateAsync(page, "Running");
        await Expect(page.Locator("#workspace-logs")).ToContainTextAsync("Application started");

        // The audit log names the user, not Auth's key.
        using var control = panel.NewControlApiClient();
        Assert.Equal(User, await ActorOfAsync(control, "provision"));
        Assert.Equal(User, await ActorOfAsync(control, "restart"));
        Assert.Equal(User, await ActorOfAsync(control, "stop"));
        Assert.Equal(User, await ActorOfAsync(control, "start"));

        // Visiting the stopped workspace wakes it; the waiting page follows it live (with JavaScript on, its
        // reload is inert) and opens the app the moment it runs.
        await ClickAsync(page, "Stop");
        await ReloadUntilStateAsync(page, "Stopped");
        var waiting = await page.GotoAsync($"{panel.AuthAddress}u/{User}/");
        Assert.Equal((int)HttpStatusCode.ServiceUnavailable, waiting!.Status);
        Assert.Contains("<noscript><meta http-equiv=\"refresh\"", await waiting.TextAsync());
        await Expect(page.Locator("#username")).ToHaveTextAsync(User, new() { Timeout = (float)Converge.TotalMilliseconds });
        await page.GotoAsync($"{panel.AuthAddress}user/workspace");

        // The wrong password deletes nothing.
        await page.FillAsync("#password", "not-my-password");
        await page.ClickAsync("button.danger");
        await Expect(page.Locator(".field-error")).ToContainTextAsync("not your password");
        Assert.NotNull(await panel.GetWorkspaceAsync(User));

        await page.FillAsync("#password", Password);
        await page.ClickAsync("button.danger");
        await page.WaitForURLAsync($"{panel.AuthAddress}user/login");
        await Eventually.AssertAsync(async () => await panel.GetWorkspaceAsync(User) is null, Converge, $"{User}'s workspace to be gone");
        Assert.Empty(await panel.ContainersOfAsync(User));
        var volume = await Assert.ThrowsAsync<DockerApiException>(
            () => docker.Volumes.InspectAsync(WorkspaceLabels.VolumeName(panel.InstanceId, User)));
        Assert.Equal(HttpStatusCode.NotFound, volume.StatusCode);
        Assert.Equal(User, await ActorOfAsync(control, "delete"));

        // The name is free again.
        var again = await chromium.NewPageAsync();
        await RegisterAsync(again);
    }

    private static async Task<string?> ActorOfAsync(HttpClient control, string action)
    {
        using var audit = JsonDocument.Parse(await control.GetStringAsync($"/api/audit?user={User}&action={action}&pageSize=200"));
        return Assert.Single(audit.RootElement.GetProperty("items").EnumerateArray()).GetProperty("actor").GetString();
    }

    private async Task RegisterAsync(IPage page)
    {
        await page.GotoAsync($"{panel.AuthAddress}user/register");
        await page.FillAsync("#username", User);
        await page.FillAsync("#email", $"{User}@example.com");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{panel.AuthAddress}u/{User}/", new PageWaitForURLOptions { Timeout = 60_000 });
    }

    /// <summary>Asks for the change and waits for the page that says it was asked for (a reload before it would cut it off).</summary>
    private static async Task ClickAsync(IPage page, string action)
    {
        await page.ClickAsync($"button[value={action}]");
        await Expect(page.Locator(".notice")).ToHaveTextAsync($"{action} requested.");
    }

    /// <summary>The page is rendered on the server: reload it until Control reports the state.</summary>
    private static Task ReloadUntilStateAsync(IPage page, string state) =>
        Eventually.AssertAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("#workspace-state").TextContentAsync() == state;
        }, Converge, $"the workspace to be {state}");

    private async Task<string> ContainerIdAsync() => Assert.Single(await panel.ContainersOfAsync(User)).ID;

    private async Task<string> StartedAtAsync(DockerClient docker) =>
        (await docker.Containers.InspectContainerAsync(await ContainerIdAsync())).State.StartedAt;
}
