using SaasPanel.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = SaasPanelSettings.From(builder);

var controlApiKey = builder.AddParameter("control-api-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

var userAppImage = builder.AddExecutable("userapp-image", UserAppImage.BuildScript(settings.RepositoryRoot), settings.RepositoryRoot);

var control = builder.AddProject<Projects.SaasPanel_Control>("control")
    .WithEndpoint("http", endpoint => { endpoint.Port = settings.ControlPort; endpoint.IsProxied = false; })
    .WithHttpHealthCheck("/health")
    .WithEnvironment("ConnectionStrings__control", settings.ConnectionString("control"))
    .WithEnvironment("Runtime__InstanceId", settings.InstanceId)
    .WithEnvironment("Runtime__Image", UserAppImage.TagFor(settings.RepositoryRoot))
    .WithEnvironment("ControlApi__ApiKey", controlApiKey)
    .WithEnvironment("DataProtection__KeyDirectory", settings.KeyDirectory)
    // The panel sends admins to the gateway to sign in, and opens workspaces through it.
    .WithEnvironment("Panel__GatewayUrl", settings.PublicUrl(settings.AuthPort))
    .WaitForCompletion(userAppImage);

builder.AddProject<Projects.SaasPanel_Auth>("auth")
    .WithEndpoint("http", endpoint => { endpoint.Port = settings.AuthPort; endpoint.IsProxied = false; })
    .WithHttpHealthCheck("/health")
    .WithEnvironment("ConnectionStrings__auth", settings.ConnectionString("auth"))
    .WithEnvironment("ControlApi__ApiKey", controlApiKey)
    .WithEnvironment("DataProtection__KeyDirectory", settings.KeyDirectory)
    .WithEnvironment("Panel__Url", settings.PublicUrl(settings.ControlPort))
    .WithReference(control);


builder.Build().Run();
