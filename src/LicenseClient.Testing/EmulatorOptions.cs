using System;
using NodaTime;

namespace LicenseClient.Testing;

/// <summary>Settings for <see cref="LicenseApiEmulator.StartAsync"/>.</summary>
public sealed class EmulatorOptions
{
    private IClock _clock = SystemClock.Instance;

    /// <summary>The loopback port to listen on; 0 (the default) takes a free one.</summary>
    public int Port { get; set; }

    /// <summary>The API key requests must be signed with. Defaults to <c>emulator-api-key</c>.</summary>
    public string ApiKey { get; set; } = "emulator-api-key";

    /// <summary>The shared key requests must be signed with. Defaults to <c>emulator-shared-key</c>.</summary>
    public string SharedKey { get; set; } = "emulator-shared-key";

    /// <summary>
    /// The emulator's clock: it checks <c>Date</c> headers, dates answers and expires borrows by it. Use a
    /// NodaTime <c>FakeClock</c> to move time in tests. Defaults to <see cref="SystemClock.Instance"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IClock Clock
    {
        get => _clock;
        set => _clock = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>What the emulator knows at start. Defaults to <see cref="EmulatorSeed.Demo"/>.</summary>
    public EmulatorSeed? Seed { get; set; }

    /// <summary>
    /// Whether a hardware id that is not among a license's <see cref="EmulatedLicense.Devices"/> is activated on
    /// its first borrow, for every license whose <see cref="EmulatedLicense.AutoActivate"/> is null. Defaults to
    /// false, as the License API: it lets only a device activated on the license borrow, and answers
    /// <c>device_not_found</c> otherwise, so an app that forgets to activate fails here as it would in production.
    /// Seed the devices a test uses, or turn this on where the device does not matter.
    /// </summary>
    public bool AutoActivateDevices { get; set; }

    /// <summary>
    /// Whether the control endpoints under <see cref="LicenseApiEmulator.ControlPath"/> answer: read the state,
    /// set faults, move the clock, reset to the seed, over HTTP from loopback. Defaults to false: they answer
    /// <c>not_found</c>, as any path the License API does not have.
    /// </summary>
    public bool EnableControl { get; set; }
}
