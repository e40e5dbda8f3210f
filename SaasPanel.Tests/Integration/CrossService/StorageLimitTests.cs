using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using Docker.DotNet.Models;
using Microsoft.Extensions.Hosting;
using SaasPanel.Contracts;
using SaasPanel.Control.Workspaces;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Integration.CrossService;

/// <summary>
/// A plan's storage limit on the real engine, which cannot enforce one on a named volume: files written past it stay,
/// and the API, the panel and the user's own page say the limit is exceeded and not enforced.
/// </summary>
public sealed class StorageLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);
    private const string Warning = "the engine cannot enforce this limit";

    public Task InitializeAsync() => DockerTestEngine.BuildUserAppImageAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Files_past_the_plans_storage_limit_are_shown_as_exceeded_and_not_enforced_in_the_api_the_panel_and_the_users_page()
    {
        var controlPort = TestNetwork.FreePort();
        await using var control = new ControlHost(port: controlPort);
        await using var auth = AuthTestHost.Create($"http://127.0.0.1:{controlPort}/", new Dictionary<string, string?>
        {
            ["ControlClient:ApiKey"] = control.Data.ApiKey,
        });
        Assert.Equal(HttpStatusCode.OK, (await control.Api.PutAsJsonAsync("/api/plans/standard",
            new { memoryLimitMb = 128, cpuLimit = 0.5, pidsLimit = 128, storageLimitMb = 1 })).StatusCode);
        using var user = auth.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await user.RegisterAsync("stella", "stella@example.com", "password1")).StatusCode);
        var workspace = await control.WaitForStateAsync("stella", WorkspaceState.Running, s_deadline);

        await WriteFileAsync(control, workspace.ContainerId!, "big.bin", 3 * 1024 * 1024);

        var usage = await control.Api.GetFromJsonAsync<WorkspaceUsage>("/api/workspaces/stella/usage", ControlHost.Json);
        Assert.True(usage!.Volume.SizeBytes >= 3 * 1024 * 1024, $"size {usage.Volume.SizeBytes}");
        Assert.Equal((1, true), (usage.Volume.StorageLimitMb, usage.Volume.StorageLimitExceeded));
        Assert.Contains(Warning, usage.Volume.Note);
        Assert.Equal((1, 128), (usage.Limits!.StorageLimitMb, usage.Limits.PidsLimit));
        Assert.Equal(128, usage.Stats!.PidsLimit);
        var volume = await control.Api.GetFromJsonAsync<WorkspaceVolume>("/api/workspaces/stella/volume", ControlHost.Json);
        Assert.True(volume!.StorageLimitExceeded);

        using var admin = control.Factory.CreateSignedInClient("admin", SharedSignInExtensions.AdminRole);
        admin.BaseAddress = control.Api.BaseAddress; // on Kestrel here, for Auth to call
        Assert.Contains($"of 1 MiB: Uses 3 MiB of its 1 MiB storage; {Warning}.", await admin.GetStringAsync("/workspaces/stella"));
        Assert.Contains("over its storage limit, which the engine cannot enforce", await admin.GetStringAsync("/?q=stella"));
        var own = await user.Http.GetStringAsync("/user/workspace");
        Assert.Contains($"<p class=\"form-error\" role=\"alert\" id=\"storage-warning\">Uses 3 MiB of its 1 MiB storage; {Warning}.</p>", own);
        Assert.Contains("128 MiB memory, 0.5 CPU, 128 processes, 1 MiB storage (not enforced)", own);
        Assert.Contains(" of 128 processes", own);
    }

    /// <summary>Puts a file into the workspace's volume through the engine (the app's image has no shell to write with).</summary>
    private static async Task WriteFileAsync(ControlHost control, string containerId, string name, int bytes)
    {
        using var archive = new MemoryStream();
        await using (var tar = new TarWriter(archive, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray()),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }

        archive.Position = 0;
        await control.Docker.Containers.ExtractArchiveToContainerAsync(containerId,
            new ContainerPathStatParameters { Path = WorkspaceContainer.Directory }, archive);
    }
}
