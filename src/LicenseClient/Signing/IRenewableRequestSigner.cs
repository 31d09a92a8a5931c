using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace LicenseClient;

/// <summary>
/// A signer whose credentials can go stale, such as an OAuth token: when the License API refuses a request it
/// signed, the client asks it whether to sign the request again and send it once more at once.
/// </summary>
/// <remarks>
/// Re-authentication lives here, in the signer, not in the client's retry loop: the resend belongs to the same
/// attempt and costs no backoff. The client asks at most once per attempt, so a signer that keeps answering
/// <see langword="true"/> cannot make it loop.
/// </remarks>
public interface IRenewableRequestSigner : IRequestSigner
{
    /// <summary>
    /// Called when the License API refused <paramref name="refusedRequest"/>, which this signer signed. Renew what
    /// is stale (drop a refused token, say) and return <see langword="true"/> to have the request built, signed
    /// and sent again; return <see langword="false"/> to report the refusal as it is.
    /// </summary>
    /// <param name="refusedRequest">The refused request, with the headers this signer set; do not send it.</param>
    /// <param name="status">The answer's HTTP status.</param>
    /// <param name="errorCode">The License API's error <c>code</c>, or <see langword="null"/> when the answer had none.</param>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>Whether to sign and send the request again.</returns>
    ValueTask<bool> RenewAsync(HttpRequestMessage refusedRequest, int status, string? errorCode, CancellationToken cancellationToken);
}
