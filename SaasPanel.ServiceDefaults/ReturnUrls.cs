using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.Extensions.Hosting;

/// <summary>Where a form may send the browser back to after it is posted.</summary>
public static class ReturnUrls
{
    /// <summary>
    /// A local path (so a crafted link cannot send anyone elsewhere) of printable ASCII only: a browser sends a
    /// return URL percent-encoded, and Kestrel refuses anything else in a <c>Location</c> header (a 500).
    /// </summary>
    public static bool IsSafeReturnUrl(this IUrlHelper url, [NotNullWhen(true)] string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) && returnUrl.All(c => c is > ' ' and < '\x7f');
}
