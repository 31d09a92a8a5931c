using System;

namespace LicenseClient.Internal;

/// <summary>The default source of the backoff's jitter: a random number in [0, 1), safe to use from many threads.</summary>
internal static class Jitter
{
#if !NET
    private static readonly Random Shared = new();
#endif

    public static double Next()
    {
#if NET
        return Random.Shared.NextDouble();
#else
        lock (Shared)
        {
            return Shared.NextDouble();
        }
#endif
    }
}
