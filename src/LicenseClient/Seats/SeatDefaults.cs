using System;
using LicenseClient.Http;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace LicenseClient.Seats;

/// <summary>What a <see cref="FloatingSeat"/> takes from this library's client when its <see cref="SeatOptions"/> leave it unset.</summary>
internal sealed class SeatDefaults(IBorrowReceiptStore? receiptStore, TimeProvider timeProvider, IClock clock, string? serverPublicKey, ServerClock serverClock, ILogger logger)
{
    /// <summary>Where the client logs, and so its seats.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>The server's time as the client's pipeline has learned it from answers: a seat's first borrow end is set by it.</summary>
    public ServerClock ServerClock { get; } = serverClock;

    public IBorrowReceiptStore? ReceiptStore { get; } = receiptStore;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public IClock Clock { get; } = clock;

    public string? ServerPublicKey { get; } = serverPublicKey;

    public static SeatDefaults From(LicenseClientOptions options, IBorrowReceiptStore? store, LicensePipeline pipeline)
        => new(store, options.TimeProvider, options.EffectiveClock, options.ServerPublicKey, pipeline.Clock, pipeline.Logger);
}
