namespace LicenseClient;

/// <summary>The License API operations the client calls; <see cref="LicenseApiException.Operation"/> says which one failed.</summary>
public enum LicenseApiOperation
{
    /// <summary>Not known: the exception was not thrown by a client call (built by application code, say).</summary>
    None = 0,

    /// <summary><see cref="ILicenseApiClient.BorrowAsync"/> (<c>POST api/v4/floating/borrow</c>).</summary>
    Borrow = 1,

    /// <summary><see cref="ILicenseApiClient.ReleaseAsync"/> (<c>POST api/v4/floating/release</c>).</summary>
    Release = 2,

    /// <summary><see cref="ILicenseApiClient.BorrowFeatureAsync"/> (<c>POST api/v4/floating/feature_borrow</c>).</summary>
    BorrowFeature = 3,

    /// <summary><see cref="ILicenseApiClient.ReleaseFeatureAsync"/> (<c>POST api/v4/floating/feature_release</c>).</summary>
    ReleaseFeature = 4,
}
