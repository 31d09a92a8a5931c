using System;
using NodaTime;

namespace LicenseClient.Seats;

/// <summary>What a <see cref="FloatingSeat"/> takes from this library's client when its <see cref="SeatOptions"/> leave it unset.</summary>
internal sealed class SeatDefaults(IBorrowReceiptStore? receiptStore, TimeProvider timeProvider, IClock clock, string? serverPublicKey)
{
    public IBorrowReceiptStore? ReceiptStore { get; } = receiptStore;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public IClock Clock { get; } = clock;

    public string? ServerPublicKey { get; } = serverPublicKey;

    public static SeatDefaults From(LicenseClientOptions options, IBorrowReceiptStore? store)
        => new(store, options.TimeProvider, options.EffectiveClock, options.ServerPublicKey);
}
