namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// Tests that read what the process exports run alone: ActivitySources and Meters are process-wide,
/// so a test running beside them would add its own spans and samples.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetry
{
    public const string Name = "process-wide telemetry";
}
