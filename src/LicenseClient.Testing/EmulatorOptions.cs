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
}
