namespace Microsoft.Extensions.Hosting;

/// <summary>Who may read the health checks' detail (section <c>Health</c>): the holder of the Control API key, which the AppHost passes.</summary>
public sealed class HealthDetailOptions
{
    public const string SectionName = "Health";

    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Empty: nobody sees the detail.</summary>
    public string? ApiKey { get; set; }
}
