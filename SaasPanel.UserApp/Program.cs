using SaasPanel.UserApp;

const string HealthPath = "/healthz";

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(WorkspaceIdentity.FromConfiguration(builder.Configuration));

var app = builder.Build();

// Readiness needs no secret: Control probes it before the workspace is handed out.
app.UseWhen(context => !context.Request.Path.Equals(HealthPath), branch => branch.UseMiddleware<GatewaySecretMiddleware>());
app.MapGet(HealthPath, () => TypedResults.Text("ok"));
app.MapGet("/", WorkspacePage.Render);

app.Run();
