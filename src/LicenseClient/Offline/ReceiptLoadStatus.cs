namespace LicenseClient;

/// <summary>What <see cref="IBorrowReceiptStore.LoadAsync"/> found.</summary>
public enum ReceiptLoadStatus
{
    /// <summary>A readable receipt (which still has to be checked with <see cref="BorrowReceiptChecker"/>).</summary>
    Found,

    /// <summary>No receipt is stored for that product and feature.</summary>
    NotFound,

    /// <summary>The stored receipt is not JSON, or is cut short (a torn or damaged file).</summary>
    Corrupt,

    /// <summary>The stored receipt was written by a newer version of LicenseClient, which this version cannot read.</summary>
    NewerVersion,

    /// <summary>The stored receipt is JSON but lacks a field or has a bad one (edited by hand, say).</summary>
    Invalid,

    /// <summary>The stored receipt could not be read (access denied, a device error).</summary>
    Unreadable,
}
