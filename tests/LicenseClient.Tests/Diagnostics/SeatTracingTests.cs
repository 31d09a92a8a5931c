using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Tests.Seats;

namespace LicenseClient.Tests.Diagnostics;

/// <summary>A seat's renewals are traces of their own, not children of the span under which the seat was acquired.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class SeatTracingTests : IAsyncLifetime, IDisposable
{
    private static readonly ActivitySource TestSource = new("LicenseClient.Tests.SeatTracing");

    private readonly List<Activity> _borrows = [];
    private readonly ActivityListener _listener;
    private SeatWorld _world = null!;

    public SeatTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is LicenseClientDiagnostics.ActivitySourceName or "LicenseClient.Tests.SeatTracing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "LicenseApiClient.Borrow")
                {
                    lock (_borrows)
                    {
                        _borrows.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync() => _world = await SeatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task The_first_borrow_is_a_child_of_the_acquiring_span_and_a_renewal_starts_a_trace_of_its_own()
    {
        using LicenseApiClient client = _world.Client();
        var events = new SeatEvents();
        FloatingSeat seat;
        ActivityTraceId acquiringTrace;
        using (Activity acquiring = TestSource.StartActivity("start-up")!)
        {
            acquiringTrace = acquiring.TraceId;
            seat = await SeatWorld.AcquireAsync(client, SeatWorld.Request("KEY-OK", "pc-traced"), _world.Options(events));
            Assert.Same(acquiring, Activity.Current);
        }

        _world.Time.Advance(TimeSpan.FromHours(23));
        await events.NextAsync(change => change.PreviousState == SeatState.Renewing);
        await seat.ReleaseAsync();

        Activity[] borrows = Borrows().Where(span => span.GetTagItem("licenseclient.product") as string == SeatWorld.Product).ToArray();
        Assert.Equal(2, borrows.Length);
        Assert.Equal(acquiringTrace, borrows[0].TraceId);
        Assert.NotEqual(acquiringTrace, borrows[1].TraceId);
        Assert.Null(borrows[1].ParentId);
    }

    private Activity[] Borrows()
    {
        lock (_borrows)
        {
            return [.. _borrows];
        }
    }
}
