using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Auth.Gateway;

/// <summary>How <see cref="WorkspaceChangeStream"/> reconnects to Control when the stream ends (section <c>ChangeStream</c>).</summary>
public sealed class ChangeStreamOptions
{
    public const string SectionName = "ChangeStream";

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(15);
}
