using System.ComponentModel.DataAnnotations;
using SaasPanel.Contracts;

namespace SaasPanel.Control.Runtime;

/// <summary>How Control reaches the container engine, the app templates it runs there and within which limits.</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Runtime";

    /// <summary>
    /// Marks every container and network this installation owns (label <c>saaspanel.instance</c>), so several
    /// installations and parallel tests share one engine without touching each other's.
    /// </summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,30}$", ErrorMessage = "InstanceId must be 1-31 lowercase letters, digits or dashes.")]
    public string InstanceId { get; set; } = "local";

    /// <summary>
    /// What runs workspaces: <c>docker</c>, one engine's containers; or <c>swarm</c>, services of the Docker Swarm whose
    /// manager is at <see cref="DockerHost"/> (<c>scripts/swarm-lab up</c> makes one).
    /// </summary>
    [EnumDataType(typeof(RuntimeEngine))]
    public RuntimeEngine Engine { get; set; } = RuntimeEngine.Docker;

    /// <summary>The engine's endpoint (a swarm manager's for <c>swarm</c>); empty means <c>DOCKER_HOST</c>, then the default Unix socket.</summary>
    public string? DockerHost { get; set; }

    /// <summary>The apps a workspace can run, by name (<c>Runtime:Templates:&lt;name&gt;</c>).</summary>
    public Dictionary<string, WorkspaceTemplate> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The template of a workspace provisioned without one.</summary>
    [Required]
    public string DefaultTemplate { get; set; } = "userapp";

    /// <summary>Memory limit of a workspace container whose template sets none, in MiB.</summary>
    [Range(16, 65536)]
    public int MemoryLimitMb { get; set; } = 128;

    /// <summary>CPU limit of a workspace container whose template sets none, in CPUs.</summary>
    [Range(0.05, 64)]
    public double CpuLimit { get; set; } = 0.5;

    /// <summary>Maximum number of processes (threads) of a workspace container whose template sets none.</summary>
    [Range(16, 4096)]
    public int PidsLimit { get; set; } = 128;

    /// <summary>Size of the in-memory /tmp of a workspace container whose template sets none, in MiB.</summary>
    [Range(1, 1024)]
    public int TmpSizeMb { get; set; } = 16;

    /// <summary>
    /// Started, unassigned workspaces kept ready per template (the warm pool), so a new user's workspace runs at once
    /// instead of waiting for a container to start; 0 turns it off. A template's <see cref="WorkspaceTemplate.PoolSize"/> overrides it.
    /// </summary>
    [Range(0, 1000)]
    public int PoolSize { get; set; } = 2;

    /// <summary>How many warm pool members are created at once while the pool refills.</summary>
    [Range(1, 64)]
    public int PoolParallelism { get; set; } = 2;

    /// <summary>How long a started container may take to answer its readiness path before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Grace period for a stopping container before the engine kills it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The warm pool's size for a template: its own, else <see cref="PoolSize"/>.</summary>
    public int PoolSizeOf(WorkspaceTemplate template) => template.PoolSize ?? PoolSize;

    /// <summary>The template of this name, or null when none is configured.</summary>
    public WorkspaceTemplate? FindTemplate(string? name) =>
        Templates.GetValueOrDefault(string.IsNullOrEmpty(name) ? DefaultTemplate : name);
}

/// <summary>The container engines Control can drive (<c>Runtime:Engine</c>).</summary>
public enum RuntimeEngine
{
    Docker,
    Swarm,
}

/// <summary>
/// An app a workspace can run: any HTTP server in an image on the engine. The gateway tells it who calls
/// (<c>X-Forwarded-User</c>, <c>X-Forwarded-Email</c>, the gateway secret); its user's volume is at <c>/workspace</c>.
/// </summary>
public sealed class WorkspaceTemplate
{
    /// <summary>What the panel calls it.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The image (a local tag or id); changing it rolls the template's workspaces.</summary>
    [Required]
    public string Image { get; set; } = "";

    /// <summary>The port the app listens on inside its container (by default the built-in UserApp's).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = WorkspaceContainer.Port;

    /// <summary>The path that answers 2xx once the app serves (by default UserApp's); the workspace is Running only then.</summary>
    [Required]
    [RegularExpression("^/.*", ErrorMessage = "ReadinessPath starts with '/'.")]
    public string ReadinessPath { get; set; } = WorkspaceContainer.HealthPath;

    /// <summary>Extra environment variables for the app (the identity variables are always set).</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Memory limit in MiB; unset means the runtime's default.</summary>
    [Range(16, 65536)]
    public int? MemoryLimitMb { get; set; }

    /// <summary>CPU limit in CPUs; unset means the runtime's default.</summary>
    [Range(0.05, 64)]
    public double? CpuLimit { get; set; }

    /// <summary>Maximum number of processes; unset means the runtime's default.</summary>
    [Range(16, 4096)]
    public int? PidsLimit { get; set; }

    /// <summary>Whether the app may open connections out of the host (a routed network); by default it may not.</summary>
    public bool Egress { get; set; }

    /// <summary>Whether the root filesystem is read-only (the user's volume and /tmp stay writable).</summary>
    public bool ReadOnlyRoot { get; set; } = true;

    /// <summary>Started, unassigned workspaces of this template kept ready; unset means <see cref="RuntimeOptions.PoolSize"/>.</summary>
    [Range(0, 1000)]
    public int? PoolSize { get; set; }

    /// <summary>Size of the in-memory /tmp in MiB; unset means the runtime's default, 0 means none.</summary>
    [Range(0, 1024)]
    public int? TmpSizeMb { get; set; }
}
