using SaasPanel.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = SaasPanelSettings.From(builder);

var controlApiKey = builder.AddParameter("control-api-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

var userApp = TemplateImage.UserApp(settings.RepositoryRoot);
var staticSite = TemplateImage.Static(settings.RepositoryRoot);
var userAppImage = builder.AddExecutable(userApp.ResourceName, userApp.BuildScript, settings.RepositoryRoot);
var staticImage = builder.AddExecutable(staticSite.ResourceName, staticSite.BuildScript, settings.RepositoryRoot);

var control = builder.AddProject<Projects.SaasPanel_Control>("control")
    .WithEndpoint("http", endpoint => { endpoint.Port = settings.ControlPort; endpoint.IsProxied = false; })
    .WithHttpHealthCheck("/health")
    .WithEnvironment("ConnectionStrings__control", settings.ConnectionString("control"))
    .WithEnvironment("Runtime__InstanceId", settings.InstanceId)
    .WithEnvironment("Runtime__Templates__userapp__Image", userApp.PrintTag())
    .WithEnvironment("Runtime__Templates__static__Image", staticSite.PrintTag())
    .WithEnvironment("ApiAccess__ApiKey", controlApiKey)
    .WithEnvironment("Health__ApiKey", controlApiKey)
    .WithEnvironment("DataProtection__KeyDirectory", settings.KeyDirectory)
    .WaitForCompletion(userAppImage)
    .WaitForCompletion(staticImage);

var auth = builder.AddProject<Projects.SaasPanel_Auth>("auth")
    .WithEndpoint("http", endpoint => { endpoint.Port = settings.AuthPort; endpoint.IsProxied = false; })
    .WithHttpHealthCheck("/health")
    .WithEnvironment("ConnectionStrings__auth", settings.ConnectionString("auth"))
    .WithEnvironment("ControlClient__ApiKey", controlApiKey)
    .WithEnvironment("Health__ApiKey", controlApiKey)
    .WithEnvironment("DataProtection__KeyDirectory", settings.KeyDirectory)
    .WithEnvironment("ControlPanel__Url", control.GetEndpoint("http"))
    .WithReference(control);

control
    // The panel sends admins to the gateway to sign in, and opens workspaces through it.
    .WithEnvironment("GatewayLink__Url", auth.GetEndpoint("http"))
    // Every cookie the panel is shown is checked there, so a sign-out at Auth ends the session here too.
    .WithEnvironment("AuthSessions__Url", auth.GetEndpoint("http"));

builder.Build().Run();
