using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SaasPanel.Auth.Errors;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class UnhandledExceptionHandlerTests
{
    [Fact]
    public async Task A_request_the_framework_could_not_read_is_a_400_problem()
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new UnhandledExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<UnhandledExceptionHandler>.Instance);

        var handled = await handler.TryHandleAsync(context, new BadHttpRequestException("Unexpected end of request content."), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        Assert.Contains("Unexpected end of request content.", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}
