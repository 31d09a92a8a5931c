using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Internal;
using LicenseClient.Testing;
using LicenseClient.Tests.Emulator;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Seats;

/// <summary>
/// An emulator and its clients on one fake time: the seats' timers run on <see cref="Time"/>, and the emulator and the
/// clients read their clock from it, so advancing it moves every part at once. Clients retry nothing, so a dropped
/// connection fails at once.
/// </summary>
public sealed class SeatWorld : IAsyncDisposable
{
    public const string Product = EmulatorFixture.Product;

    private readonly EmulatorFixture _fixture;

    private SeatWorld(EmulatorFixture fixture, RecordingTimeProvider time, EmulatorSeed seed)
    {
        _fixture = fixture;
        Time = time;
        Seed = seed;
    }

    /// <summary>The one time source; it records the due time of every timer a seat starts.</summary>
    public RecordingTimeProvider Time { get; }

    /// <summary>The emulator's seed; the emulator reads its licenses' switches (such as <c>Enabled</c>) live.</summary>
    public EmulatorSeed Seed { get; }

    public LicenseApiEmulator Emulator => _fixture.Emulator;

    public Instant Now => Instant.FromDateTimeOffset(Time.GetUtcNow());

    /// <summary>How many License API requests the emulator has seen so far, for <see cref="PathsSince"/>.</summary>
    public int Mark => Emulator.RequestPaths().Count;

    public static async Task<SeatWorld> StartAsync(EmulatorSeed? seed = null)
    {
        var time = new RecordingTimeProvider();
        time.SetUtcNow(EmulatorFixture.Start.ToDateTimeOffset());
        seed ??= EmulatorFixture.Seed();
        EmulatorFixture fixture = await EmulatorFixture.StartAsync(seed, clock: new TimeProviderClock(time));
        return new SeatWorld(fixture, time, seed);
    }

    public static SeatRequest Request(string licenseKey, string hardwareId, string? feature = null)
        => new(Product, hardwareId, LicenseCredential.FromLicenseKey(licenseKey)) { Feature = feature };

    /// <summary>Client options on the emulator's (fake) clock, with no retries, and <paramref name="store"/> as receipt store.</summary>
    public LicenseClientOptions ClientOptions(IBorrowReceiptStore? store = null)
    {
        LicenseClientOptions options = _fixture.Options();
        options.Retry.MaxRetries = 0;
        options.ReceiptStore = store;
        return options;
    }

    public LicenseApiClient Client(IBorrowReceiptStore? store = null) => new(ClientOptions(store));

    /// <summary>Seat options on <see cref="Time"/>, reporting to <paramref name="events"/>.</summary>
    public SeatOptions Options(SeatEvents? events = null) => new() { TimeProvider = Time, StateChanged = events is null ? null : events.Record };

    /// <summary>The paths of the License API requests the emulator has seen since <paramref name="mark"/> (see <see cref="Mark"/>).</summary>
    public string[] PathsSince(int mark) => Emulator.RequestPaths().Skip(mark).ToArray();

    /// <summary>
    /// Acquires with no <see cref="SynchronizationContext"/> current, so that state changes are raised on the thread that
    /// makes them, in order (the test framework's own context would run them on any of its threads).
    /// </summary>
    public static Task<FloatingSeat> AcquireAsync(ILicenseApiClient client, SeatRequest request, SeatOptions options, CancellationToken cancellationToken = default)
    {
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return FloatingSeat.AcquireAsync(client, request, options, cancellationToken);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}

/// <summary>Every state change a seat raised, with whether the seat was held when it was raised; awaitable one by one.</summary>
public sealed class SeatEvents
{
    private readonly object _gate = new();
    private readonly List<SeatStateChangedEventArgs> _seen = [];
    private readonly List<bool> _heldWhenRaised = [];
    private int _next;

    public void Record(object? sender, SeatStateChangedEventArgs change)
    {
        bool held = ((FloatingSeat)sender!).IsHeld;
        lock (_gate)
        {
            _seen.Add(change);
            _heldWhenRaised.Add(held);
        }
    }

    public SeatStateChangedEventArgs[] Seen
    {
        get
        {
            lock (_gate)
            {
                return _seen.ToArray();
            }
        }
    }

    public bool[] HeldWhenRaised
    {
        get
        {
            lock (_gate)
            {
                return _heldWhenRaised.ToArray();
            }
        }
    }

    /// <summary>The first change, after the last one this returned, that is <paramref name="match"/>; fails after a deadline.</summary>
    public async Task<SeatStateChangedEventArgs> NextAsync(Func<SeatStateChangedEventArgs, bool> match)
    {
        SeatStateChangedEventArgs? found = null;
        await Eventually.TrueAsync(() =>
        {
            lock (_gate)
            {
                for (int i = _next; i < _seen.Count; i++)
                {
                    if (match(_seen[i]))
                    {
                        found = _seen[i];
                        _next = i + 1;
                        return true;
                    }
                }

                return false;
            }
        });
        return found!;
    }

    /// <summary>The next change into <paramref name="state"/>.</summary>
    public Task<SeatStateChangedEventArgs> NextAsync(SeatState state) => NextAsync(change => change.State == state);
}
