using SaasPanel.Contracts;
using SaasPanel.UserApp;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(WorkspaceIdentity.FromConfiguration(builder.Configuration));

var app = builder.Build();

// Readiness needs no secret: Control probes it before the workspace is handed out.
app.UseWhen(context => !context.Request.Path.Equals(WorkspaceContainer.HealthPath), branch => branch.UseMiddleware<GatewaySecretMiddleware>());
app.MapGet(WorkspaceContainer.HealthPath, () => TypedResults.Text("ok"));
app.UseWebSockets();
app.MapGet("/", WorkspacePage.Render);
app.Map(EchoSocket.Path, EchoSocket.AcceptAsync);

app.Run();
