using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// The engine a Control under test drives (<c>Runtime:Engine</c>), and what a test sees or changes on it behind
/// Control's back, so one suite runs on both runtimes. A "workspace id" is what Control records as the workspace's
/// container id: a container's on docker, a service's on swarm.
/// </summary>
public abstract class TestRuntime : IAsyncLifetime
{
    /// <summary>Control's settings for this engine.</summary>
    public abstract IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The engine's endpoint (the host's engine, or the swarm's manager).</summary>
    public abstract string Endpoint { get; }

    public DockerClient CreateClient() => new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The workspaces of an installation as the engine holds them: who, and whether it runs.</summary>
    public abstract Task<IReadOnlyList<(string Id, string User, bool Running)>> ListAsync(DockerClient docker, string instanceId);

    /// <summary>The container that runs the workspace now (on swarm, its running task's, on the one test node).</summary>
    public abstract Task<string> ContainerOfAsync(DockerClient docker, string workspaceId);

    public abstract Task RemoveBehindControlsBackAsync(DockerClient docker, string workspaceId);

    public abstract Task StopBehindControlsBackAsync(DockerClient docker, string workspaceId);

    /// <summary>Creates an idle workload with these labels, as a workspace of this engine would look; returns its id.</summary>
    public abstract Task<string> CreateIdleAsync(DockerClient docker, string name, string image, Dictionary<string, string> labels);

    public abstract Task<bool> ExistsAsync(DockerClient docker, string id);

    public abstract Task RemoveAsync(DockerClient docker, string id);

    /// <summary>Whether the engine's own copy of the workspace runs (the container, or the service's task).</summary>
    public async Task<bool> IsRunningAsync(DockerClient docker, string workspaceId) =>
        (await ListAsync(docker, await InstanceOfAsync(docker, workspaceId))).Any(w => w.Id == workspaceId && w.Running);

    protected abstract Task<string> InstanceOfAsync(DockerClient docker, string workspaceId);
}

/// <summary>The host's engine, plain containers (Control's default).</summary>
public sealed class DockerTestRuntime : TestRuntime
{
    public override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Runtime:Engine"] = "docker" };

    public override string Endpoint => Environment.GetEnvironmentVariable("DOCKER_HOST") ?? DockerEngine.DefaultEndpoint;

    /// <summary>The users' workspace containers (named as theirs, or labelled so by hand), not the warm pool's members.</summary>
    public override async Task<IReadOnlyList<(string Id, string User, bool Running)>> ListAsync(DockerClient docker, string instanceId) =>
        (await DockerTestEngine.ListContainersAsync(docker, instanceId))
            .Select(c => (c.ID, User: WorkspaceLabels.Find(c.Labels, WorkspaceLabels.User)
                ?? WorkspaceLabels.WorkspaceNameOf(instanceId, c.Names.FirstOrDefault()), Running: c.State == "running"))
            .Where(c => c.User is not null && !WorkspaceLabels.IsPoolMember(c.User))
            .Select(c => (c.ID, c.User!, c.Running)).ToList();

    public override Task<string> ContainerOfAsync(DockerClient docker, string workspaceId) => Task.FromResult(workspaceId);

    public override Task RemoveBehindControlsBackAsync(DockerClient docker, string workspaceId) =>
        docker.Containers.RemoveContainerAsync(workspaceId, new ContainerRemoveParameters { Force = true });

    public override Task StopBehindControlsBackAsync(DockerClient docker, string workspaceId) =>
        docker.Containers.StopContainerAsync(workspaceId, new ContainerStopParameters { WaitBeforeKillSeconds = 1 });

    public override async Task<string> CreateIdleAsync(DockerClient docker, string name, string image, Dictionary<string, string> labels)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = image,
            Labels = labels,
            HostConfig = new HostConfig { ReadonlyRootfs = true, CapDrop = ["ALL"] },
        });
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    public override async Task<bool> ExistsAsync(DockerClient docker, string id)
    {
        try
        {
            await docker.Containers.InspectContainerAsync(id);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
    }

    public override Task RemoveAsync(DockerClient docker, string id) =>
        docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });

    protected override async Task<string> InstanceOfAsync(DockerClient docker, string workspaceId) =>
        (await docker.Containers.InspectContainerAsync(workspaceId)).Config.Labels[WorkspaceLabels.Instance];
}

/// <summary>
/// A swarm of <c>scripts/swarm-lab</c>, its nodes' dockerds in their own network namespaces, the host's engine
/// untouched. By default the one-node lab "test": <c>scripts/test</c> starts it before the tests and removes it after;
/// a test run on its own starts it here (idempotent, so one left over is reused). Given a lab, the caller runs it.
/// </summary>
public sealed class SwarmTestRuntime : TestRuntime
{
    private readonly SwarmLab _lab;

    public SwarmTestRuntime()
        : this(SwarmLab.Test)
    {
    }

    internal SwarmTestRuntime(SwarmLab lab) => _lab = lab;

    internal SwarmLab Lab => _lab;

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Runtime:Engine"] = "swarm",
        ["Runtime:DockerHost"] = Endpoint,
    };

    public override string Endpoint => _lab.ManagerEndpoint;

    public override Task InitializeAsync() => _lab.EnsureUpAsync(nodes: 1);

    public override async Task<IReadOnlyList<(string Id, string User, bool Running)>> ListAsync(DockerClient docker, string instanceId)
    {
        var services = await docker.Swarm.ListServicesAsync(new ServicesListParameters
        {
            Filters = new ServiceFilter { Label = [$"{WorkspaceLabels.Instance}={instanceId}"] },
        });
        var running = await RunningTasksAsync(docker);
        return services.Where(s => s.Spec.Labels.ContainsKey(WorkspaceLabels.User))
            .Select(s => (s.ID, s.Spec.Labels[WorkspaceLabels.User], running.Contains(s.ID))).ToList();
    }

    public override async Task<string> ContainerOfAsync(DockerClient docker, string workspaceId)
    {
        var tasks = await docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [workspaceId] = true } },
        });
        return tasks.Where(t => t.Status.State == TaskState.Running).OrderByDescending(t => t.CreatedAt).First().Status.ContainerStatus.ContainerID;
    }

    public override Task RemoveBehindControlsBackAsync(DockerClient docker, string workspaceId) => docker.Swarm.RemoveServiceAsync(workspaceId);

    /// <summary>Scales the service to no task, as an operator's <c>docker service scale …=0</c>.</summary>
    public override async Task StopBehindControlsBackAsync(DockerClient docker, string workspaceId)
    {
        var service = await docker.Swarm.InspectServiceAsync(workspaceId);
        service.Spec.Mode.Replicated = new ReplicatedService { Replicas = 0 };
        await docker.Swarm.UpdateServiceAsync(service.ID, new ServiceUpdateParameters { Service = service.Spec, Version = (long)service.Version.Index });
    }

    public override async Task<string> CreateIdleAsync(DockerClient docker, string name, string image, Dictionary<string, string> labels)
    {
        var imageId = (await docker.Images.InspectImageAsync(image)).ID;
        var created = await docker.Swarm.CreateServiceAsync(new ServiceCreateParameters
        {
            Service = new ServiceSpec
            {
                Name = name,
                Labels = labels,
                Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = 0 } },
                TaskTemplate = new TaskSpec { ContainerSpec = new ContainerSpec { Image = imageId } },
            },
        });
        return created.ID;
    }

    public override async Task<bool> ExistsAsync(DockerClient docker, string id)
    {
        try
        {
            await docker.Swarm.InspectServiceAsync(id);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public override Task RemoveAsync(DockerClient docker, string id) => docker.Swarm.RemoveServiceAsync(id);

    protected override async Task<string> InstanceOfAsync(DockerClient docker, string workspaceId) =>
        (await docker.Swarm.InspectServiceAsync(workspaceId)).Spec.Labels[WorkspaceLabels.Instance];

    private static async Task<HashSet<string>> RunningTasksAsync(DockerClient docker) =>
        (await docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["desired-state"] = new Dictionary<string, bool> { ["running"] = true } },
        })).Where(t => t.Status.State == TaskState.Running).Select(t => t.ServiceID).ToHashSet();
}
