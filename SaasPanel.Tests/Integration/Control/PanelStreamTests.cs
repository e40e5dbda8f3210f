using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasPanel.Control.Data;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SaasPanel.Tests.Integration.Control;

/// <summary>An open panel tab is fed the rows it shows and the totals, never the whole table.</summary>
public sealed class PanelStreamTests(ITestOutputHelper output)
{
    private const int Workspaces = 10_000;

    [Fact]
    public async Task A_panel_tab_connecting_with_ten_thousand_workspaces_receives_one_page_of_rows_and_the_totals()
    {
        await using var control = new ControlHost(settings: new Dictionary<string, string?> { ["Reconciler:SweepInterval"] = "00:10:00" });
        await SeedStoppedAsync(control, Workspaces);
        using var admin = control.Factory.CreateSignedInClient("admin", SharedSignInExtensions.AdminRole);
        var page = Enumerable.Range(1, 50).Select(i => $"seed-{i:00000}").ToList();

        var (bytes, events) = await ReadUntilReadyAsync(admin, "/api/workspaces/changes?users=" + string.Join(',', page));
        output.WriteLine($"first events (up to 'ready'): {bytes} bytes, {events.Count} events");

        Assert.Equal(page, events.Where(e => e.Type == "workspace").Select(e => e.Data.Split('"')[3]));
        var totals = Assert.Single(events, e => e.Type == "totals");
        Assert.Contains($"\"total\":{Workspaces}", totals.Data);
        Assert.Contains($"\"Stopped\":{Workspaces}", totals.Data);
        Assert.InRange(bytes, 1, 20_000);
    }

    private static async Task SeedStoppedAsync(ControlHost control, int rows)
    {
        await using var scope = control.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlDbContext>();
        var now = DateTime.UtcNow;
        db.Workspaces.AddRange(Enumerable.Range(1, rows).Select(i => new Workspace
        {
            UserName = $"seed-{i:00000}",
            Email = $"seed-{i:00000}@example.com",
            Template = "userapp",
            GatewaySecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            DesiredState = DesiredState.Stopped,
            State = WorkspaceState.Stopped,
            CreatedAt = now,
            UpdatedAt = now,
        }));
        await db.SaveChangesAsync();
    }

    private static async Task<(long Bytes, List<(string Type, string Data)> Events)> ReadUntilReadyAsync(HttpClient client, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string, string)>();
        long bytes = 0;
        string? type = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            bytes += Encoding.UTF8.GetByteCount(line) + 1;
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
            {
                events.Add((type, line["data: ".Length..]));
                if (type == "ready")
                {
                    return (bytes, events);
                }
            }
        }

        throw new InvalidOperationException("The stream ended before 'ready'.");
    }
}
