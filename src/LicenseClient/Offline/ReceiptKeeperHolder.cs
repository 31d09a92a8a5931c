namespace LicenseClient.Offline;

/// <summary>The container's receipt keeper, which may be none: a container cannot hold a null singleton.</summary>
internal sealed class ReceiptKeeperHolder(ReceiptKeeper? keeper, Seats.SeatDefaults seatDefaults)
{
    public ReceiptKeeper? Keeper { get; } = keeper;

    /// <summary>What a <see cref="FloatingSeat"/> over the container's client uses when its options leave it unset.</summary>
    public Seats.SeatDefaults SeatDefaults { get; } = seatDefaults;
}
