using System.Diagnostics;
using Microsoft.Playwright;
using SaasPanel.Benchmarks.Report;

namespace SaasPanel.Benchmarks.Steps;

/// <summary>
/// Registration as a person feels it: Debian's Chromium (Playwright) fills in the sign-up form, and the clock runs from
/// the click on Register until the app's own page shows the user's name, through the "being prepared" page and its
/// server-sent events. One user at a time, each in a fresh browser context.
/// </summary>
internal static class BrowserRegistrationBenchmark
{
    private const string ExecutablePath = "/usr/bin/chromium";
    private const int Users = 20;

    public static async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var (panel, results) = (context.Panel, context.Results);
        ProgressLog.Step($"browser registration: {Users} users in Chromium, form submit until the app's page shows");
        using var playwright = await Playwright.CreateAsync();
        // Runs as root here, where Chromium's sandbox cannot start.
        await using var chromium = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
        var timings = new List<double>();
        try
        {
            for (var i = 1; i <= Users; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var browser = await chromium.NewContextAsync();
                var page = await browser.NewPageAsync();
                var userName = $"web-{i:000}";
                // As in the provisioning step, each user finds the pool refilled after the one before.
                timings.Add(await panel.Pool.ThenRefilledAsync(() => RegisterAsync(page, panel.AuthAddress, userName, context.Options.ProvisionTimeout),
                    cancellationToken));
                if (i % 10 == 0)
                {
                    ProgressLog.Detail($"{i}: {timings[^1]:0} ms");
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && timings.Count > 0)
        {
            throw BenchmarkSteps.AfterPartialFigures(ex, $"{timings.Count} of {Users} registrations");
        }
        finally
        {
            if (timings.Count > 0)
            {
                results.BrowserRegisterToAppMs = Percentiles.Of(timings).P50;
            }
        }
    }

    private static async Task<double> RegisterAsync(IPage page, Uri authAddress, string userName, TimeSpan timeout)
    {
        page.SetDefaultTimeout((float)timeout.TotalMilliseconds);
        await page.GotoAsync(new Uri(authAddress, "/user/register").ToString());
        await page.FillAsync("#username", userName);
        await page.FillAsync("#email", $"{userName}@bench.example");
        await page.FillAsync("#password", "bench-password");
        var started = Stopwatch.GetTimestamp();
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Uri(authAddress, $"/u/{userName}/").ToString());
        // The app's own page, not a waiting page: UserApp shows the signed-in user's name.
        await page.Locator("#username").GetByText(userName, new() { Exact = true }).WaitForAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
