namespace LicenseClient.Samples.Borrow;

/// <summary>What <c>--offline</c> checks: the receipt stored for the product (and feature) on this device.</summary>
/// <param name="Product">The product code.</param>
/// <param name="HardwareId">This device's hardware id.</param>
/// <param name="Feature">The feature, with <c>--feature</c>.</param>
/// <param name="ServerPublicKey">The key that verifies receipts (PEM); <see langword="null"/> for the production key.</param>
/// <param name="ReceiptFolder">Where the receipts are kept.</param>
internal sealed record OfflineSettings(string Product, string HardwareId, string? Feature, string? ServerPublicKey, string ReceiptFolder);
