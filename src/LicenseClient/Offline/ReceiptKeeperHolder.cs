namespace LicenseClient.Offline;

/// <summary>The container's receipt keeper, which may be none: a container cannot hold a null singleton.</summary>
internal sealed class ReceiptKeeperHolder(ReceiptKeeper? keeper)
{
    public ReceiptKeeper? Keeper { get; } = keeper;
}
