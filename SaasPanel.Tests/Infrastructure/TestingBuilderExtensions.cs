using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// What running the AppHost under <c>Aspire.Hosting.Testing</c> needs, for the end-to-end tests and the benchmark alike
/// (SaasPanel.Benchmarks compiles this file in: it references no test project).
/// </summary>
internal static class TestingBuilderExtensions
{
    /// <summary>
    /// The testing builder runs no dashboard yet points the services' OTLP exporter at it: exports to nowhere cost CPU,
    /// and flushing them holds up a stop of a service past the time the AppHost gives it. No exporter: the
    /// instrumentation still runs.
    /// </summary>
    public static void WithoutOtlpExporter(this IDistributedApplicationTestingBuilder builder)
    {
        foreach (var service in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(service).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }
    }
}
