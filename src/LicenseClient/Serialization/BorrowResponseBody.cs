using NodaTime;

namespace LicenseClient.Serialization;

/// <summary>
/// The JSON body of a successful borrow, as <see cref="FloatingJson"/> reads it. Every field is nullable so that a
/// missing one is reported as an invalid response rather than silently defaulted; unknown fields are ignored.
/// </summary>
internal sealed class BorrowResponseBody
{
    public Instant? BorrowedUntil { get; set; }

    /// <summary>A number of hours on the wire; may be fractional.</summary>
    public Duration? MaxBorrowTime { get; set; }

    public long? DeviceId { get; set; }

    public long? LicenseId { get; set; }

    /// <summary>The company the license belongs to; every company's answers are signed with the same key, so this tells them apart.</summary>
    public CompanyBody? Company { get; set; }
}
