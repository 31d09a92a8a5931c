using System.Threading;
using System.Threading.Tasks;

namespace LicenseClient;

/// <summary>
/// A signer whose credentials can go stale, such as an OAuth token: when the License API refuses a request it
/// signed for its authorization, the client asks it whether to sign the request again and send it once more at once.
/// </summary>
/// <remarks>
/// Re-authentication lives here, in the signer, not in the client's retry loop: the resend belongs to the same
/// attempt and costs no backoff. The client asks only about authorization refusals (HTTP 401 or 403, or one of
/// the API's authorization codes such as <c>oauth_token_expired</c> or <c>signature_mismatch</c>), never about
/// busy or failing servers (429, 5xx) nor about a wrong clock (<c>date_header_diff</c>, which the client corrects
/// itself). It asks at most once per attempt, so a signer that keeps answering <see langword="true"/> cannot make it loop.
/// </remarks>
public interface IRenewableRequestSigner : IRequestSigner
{
    /// <summary>
    /// Called when the License API refused a request this signer signed for its authorization. Renew what is stale
    /// (drop a refused token, say) and return <see langword="true"/> to have the request built, signed and sent
    /// again; return <see langword="false"/> to report the refusal as it is.
    /// </summary>
    /// <param name="refusal">The refused request and the answer's status and error code.</param>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>Whether to sign and send the request again.</returns>
    ValueTask<bool> RenewAsync(RequestRefusal refusal, CancellationToken cancellationToken);
}
