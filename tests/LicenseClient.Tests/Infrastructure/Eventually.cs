using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>Polls for a condition until a deadline, for events a test cannot await directly.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int withinSeconds = 10)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(withinSeconds), $"The condition was not met within {withinSeconds} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }
}
