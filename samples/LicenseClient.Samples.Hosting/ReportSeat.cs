using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using NodaTime;

namespace LicenseClient.Samples.Hosting;

/// <summary>
/// The app's work, which runs once the host has started and so once the seat is held: here it reports the seat and
/// stops the app, and the host's stop releases the seat.
/// </summary>
internal sealed class ReportSeat(LicenseSeatService seats, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        FloatingSeat seat = seats.Seat!;
        Console.WriteLine($"The app runs with the seat {(seat.State == SeatState.HeldOffline ? "held offline" : "held")} until {Local(seat.BorrowedUntil)}.");
        lifetime.StopApplication();
        return Task.CompletedTask;
    }

    /// <summary>A time in this computer's zone.</summary>
    public static string Local(Instant? instant)
        => instant is Instant value ? value.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) : "-";
}
