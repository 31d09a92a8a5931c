using System;
using NodaTime;

namespace LicenseClient.Internal;

/// <summary>A NodaTime clock that reads a <see cref="TimeProvider"/>, so one time source can drive the whole client.</summary>
internal sealed class TimeProviderClock : IClock
{
    private readonly TimeProvider _time;

    public TimeProviderClock(TimeProvider time) => _time = time;

    public Instant GetCurrentInstant() => Instant.FromDateTimeOffset(_time.GetUtcNow());
}
