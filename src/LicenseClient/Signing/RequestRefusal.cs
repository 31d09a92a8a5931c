using System.Net.Http;
using LicenseClient.Internal;

namespace LicenseClient;

/// <summary>
/// What <see cref="IRenewableRequestSigner.RenewAsync"/> is told about a request the License API refused for its
/// authorization: the request as it was signed, and the answer's status and error code.
/// </summary>
/// <remarks>
/// The request's headers are the ones the signer set; its content may already have been disposed by the
/// HttpClient that sent it (on .NET Framework), so do not read it. Never send the request again: return
/// <see langword="true"/> from <see cref="IRenewableRequestSigner.RenewAsync"/> and the client builds and signs a new one.
/// </remarks>
public sealed class RequestRefusal
{
    /// <summary>Describes a refusal.</summary>
    /// <param name="request">The refused request.</param>
    /// <param name="status">The answer's HTTP status.</param>
    /// <param name="errorCode">The License API's error <c>code</c>, or <see langword="null"/> when the answer had none.</param>
    /// <param name="serverMessage">The License API's error <c>message</c>, or <see langword="null"/>.</param>
    /// <exception cref="System.ArgumentNullException"><paramref name="request"/> is null.</exception>
    public RequestRefusal(HttpRequestMessage request, int status, string? errorCode, string? serverMessage)
    {
        Request = Guard.NotNull(request, nameof(request));
        Status = status;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
    }

    /// <summary>The refused request, with the headers the signer set.</summary>
    public HttpRequestMessage Request { get; }

    /// <summary>The answer's HTTP status, such as 401.</summary>
    public int Status { get; }

    /// <summary>The License API's error <c>code</c>, such as <c>oauth_token_expired</c>, or <see langword="null"/> when the answer had none.</summary>
    public string? ErrorCode { get; }

    /// <summary>The License API's error <c>message</c>, verbatim, or <see langword="null"/>.</summary>
    public string? ServerMessage { get; }
}
