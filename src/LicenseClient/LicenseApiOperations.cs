using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Floating;
using LicenseClient.Http;
using LicenseClient.Internal;

namespace LicenseClient;

/// <summary>
/// The operations behind <see cref="ILicenseApiClient"/>, over an HttpClient they do not own. Not
/// disposable, so a dependency-injection container does not hold on to every instance it creates.
/// </summary>
internal sealed class LicenseApiOperations : ILicenseApiClient
{
    private readonly LicenseTransport _transport;
    private readonly Uri _borrowUri;

    /// <summary>Validates <paramref name="options"/> and copies what the operations need.</summary>
    /// <exception cref="InvalidOperationException">No credentials are set, or only half of an API key pair.</exception>
    public LicenseApiOperations(HttpClient httpClient, LicenseClientOptions options)
        : this(httpClient, options.CreateSigner(), options)
    {
    }

    public LicenseApiOperations(HttpClient httpClient, IRequestSigner signer, LicenseClientOptions options)
    {
        _borrowUri = new Uri(options.BaseAddress, BorrowProtocol.Path);
        _transport = new LicenseTransport(httpClient, signer, options.Clock);
    }

    public async Task<BorrowedLicense> BorrowAsync(BorrowRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request, nameof(request));

        byte[] body = BorrowProtocol.CreateBody(request);
        LicenseAnswer answer = await _transport.PostAsync(_borrowUri, body, cancellationToken).ConfigureAwait(false);
        return BorrowProtocol.ReadAnswer(answer);
    }
}
