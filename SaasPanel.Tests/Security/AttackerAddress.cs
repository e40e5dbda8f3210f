using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace SaasPanel.Tests.Security;

/// <summary>
/// Lets a test speak from a chosen client address (the in-memory server has none): the header is read
/// before anything else in the pipeline and becomes the connection's remote address, as a socket would set it.
/// </summary>
internal static class AttackerAddress
{
    public const string Header = "X-Test-Remote-Address";

    public static void Enable(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, Filter>());

    public static void From(this Infrastructure.AuthTestClient client, string address)
    {
        client.Http.DefaultRequestHeaders.Remove(Header);
        client.Http.DefaultRequestHeaders.Add(Header, address);
    }

    private sealed class Filter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
