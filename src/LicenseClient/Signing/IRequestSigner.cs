using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Authenticates a request to the License API by adding its headers (the API-key HMAC signature
/// today, an OAuth bearer token as an alternative).
/// </summary>
/// <remarks>
/// The client calls the signer once for every request it sends, with a request message that has never
/// been signed, so a signature is never reused. Implementations must be safe to call concurrently.
/// </remarks>
public interface IRequestSigner
{
    /// <summary>Adds the <c>Date</c> and <c>Authorization</c> headers to <paramref name="request"/>.</summary>
    /// <param name="request">The request about to be sent.</param>
    /// <param name="now">The time to put in the <c>Date</c> header and to sign.</param>
    /// <param name="cancellationToken">Cancels the signing.</param>
    /// <returns>A task that completes when the headers are set.</returns>
    ValueTask SignAsync(HttpRequestMessage request, Instant now, CancellationToken cancellationToken);
}
