using System.Globalization;
using NodaTime;

namespace LicenseClient.Signing;

/// <summary>The RFC 7231 IMF-fixdate the <c>Date</c> header carries, e.g. <c>Tue, 07 Jun 2011 20:51:35 GMT</c>.</summary>
internal static class HttpDate
{
    /// <summary>Formats <paramref name="instant"/> in GMT with the invariant culture, truncated to whole seconds.</summary>
    public static string Format(Instant instant)
        => instant.ToDateTimeUtc().ToString("r", CultureInfo.InvariantCulture);
}
