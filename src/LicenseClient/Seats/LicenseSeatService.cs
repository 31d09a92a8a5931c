using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Internal;
using Microsoft.Extensions.Hosting;

namespace LicenseClient;

/// <summary>
/// The hosted service <c>services.AddLicenseSeat(...)</c> registers: it acquires a <see cref="FloatingSeat"/> when the
/// host starts and releases it when the host stops. Take it from the container to reach the seat.
/// </summary>
/// <remarks>
/// If the seat cannot be acquired, the host does not start: <see cref="StartAsync"/> throws what
/// <see cref="FloatingSeat.AcquireAsync"/> threw. With <see cref="SeatOptions.WaitForSeat"/> the host's start waits for a seat.
/// </remarks>
public sealed class LicenseSeatService : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly ILicenseApiClient _client;
    private readonly SeatRequest _request;
    private readonly SeatOptions _options;
    private FloatingSeat? _seat;

    /// <summary>Creates the service; the container does this for <c>AddLicenseSeat</c>.</summary>
    /// <param name="client">The client that borrows and releases.</param>
    /// <param name="request">What seat to hold.</param>
    /// <param name="options">How to wait, renew and release.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LicenseSeatService(ILicenseApiClient client, SeatRequest request, SeatOptions options)
    {
        _client = Guard.NotNull(client, nameof(client));
        _request = Guard.NotNull(request, nameof(request));
        _options = Guard.NotNull(options, nameof(options));
    }

    /// <summary>The seat, once the host has started; <see langword="null"/> before.</summary>
    public FloatingSeat? Seat => Volatile.Read(ref _seat);

    /// <summary>Acquires the seat.</summary>
    /// <param name="cancellationToken">Cancels the acquisition (the host's start-up was called off).</param>
    /// <returns>A task that completes when the seat is held.</returns>
    /// <exception cref="InvalidOperationException">The service was started already.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Seat is not null)
        {
            throw new InvalidOperationException("The license seat service was started already.");
        }

        FloatingSeat seat = await FloatingSeat.AcquireAsync(_client, _request, _options, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _seat, seat);
    }

    /// <summary>Releases the seat (journalled when the API cannot be reached; see <see cref="FloatingSeat.ReleaseAsync"/>).</summary>
    /// <param name="cancellationToken">The host's shutdown deadline: the release is journalled when it passes.</param>
    /// <returns>A task that completes when the seat is released or journalled.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Seat is FloatingSeat seat)
        {
            try
            {
                await seat.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Neither sent nor journalled: the API frees the seat at its BorrowedUntil by itself.
            }
        }
    }

    /// <summary>Releases the seat if the host did not stop the service.</summary>
    /// <returns>A task that completes when the seat is released.</returns>
    public ValueTask DisposeAsync() => Seat is FloatingSeat seat ? seat.DisposeAsync() : default;

    /// <summary>
    /// Releases the seat if the host did not stop the service, waiting for it (at most about
    /// <see cref="SeatOptions.ReleaseTimeout"/>): a container disposed synchronously, as a desktop app's often is, gives
    /// the seat back too. Nothing in the release waits for the calling thread's synchronization context.
    /// </summary>
    public void Dispose()
    {
        if (Seat is FloatingSeat seat)
        {
            seat.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
