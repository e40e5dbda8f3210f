using Microsoft.AspNetCore.Http;
using SaasPanel.Contracts;
using SaasPanel.UserApp;

namespace SaasPanel.Tests.Unit.UserApp;

public sealed class WorkspacePageTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(61, "1m 1s")]
    [InlineData(3 * 3600 + 120, "3h 2m")]
    [InlineData(2 * 86400 + 5 * 3600, "2d 5h")]
    public void Uptime_reads_in_its_largest_units(int seconds, string expected) =>
        Assert.Equal(expected, WorkspacePage.FormatUptime(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("/u/alice", "/u/alice")]
    [InlineData("/u/alice/", "/u/alice")]
    [InlineData("", "")]
    [InlineData("//evil.example", "")]
    [InlineData("https://evil.example", "")]
    public void Only_a_local_path_prefix_is_honoured(string header, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[Headers.ForwardedPrefix] = header;

        Assert.Equal(expected, WorkspacePage.PathPrefix(context.Request));
    }
}
