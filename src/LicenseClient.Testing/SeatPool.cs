using System;
using System.Collections.Generic;
using NodaTime;

namespace LicenseClient.Testing;

/// <summary>
/// The seats of one license or floating feature: which devices hold one, and until when. Counting the seats in
/// use does not look at every seat: borrows leave the pool in the order they end (a priority queue of ends),
/// so a borrow costs O(log n) however many seats are held. The caller holds the lock.
/// </summary>
internal sealed class SeatPool
{
    private readonly Dictionary<string, Instant> _held = new(StringComparer.Ordinal);

    /// <summary>
    /// Each borrow's end, earliest first. An entry whose device has since been released or borrowed again
    /// (with another end) is stale: it is skipped when it comes out, and dropped when the queue is rebuilt.
    /// </summary>
    private readonly PriorityQueue<string, Instant> _ends = new();

    /// <summary>How many devices hold a seat at <paramref name="now"/>.</summary>
    public int InUse(Instant now)
    {
        Expire(now);
        return _held.Count;
    }

    /// <summary>Whether <paramref name="hardwareId"/> holds a seat at <paramref name="now"/>.</summary>
    public bool Holds(string hardwareId, Instant now)
    {
        Expire(now);
        return _held.ContainsKey(hardwareId);
    }

    /// <summary>Gives <paramref name="hardwareId"/> a seat until <paramref name="until"/> (a new end for a seat it holds).</summary>
    public void Take(string hardwareId, Instant until)
    {
        _held[hardwareId] = until;
        _ends.Enqueue(hardwareId, until);
        if (_ends.Count > (2 * _held.Count) + 16)
        {
            // Re-borrows and releases leave stale ends behind; rebuilding now and then keeps the queue near the seat count.
            _ends.Clear();
            foreach ((string device, Instant end) in _held)
            {
                _ends.Enqueue(device, end);
            }
        }
    }

    /// <summary>Frees the seat of <paramref name="hardwareId"/>; false when it held none at <paramref name="now"/>.</summary>
    public bool Release(string hardwareId, Instant now)
    {
        Expire(now);
        return _held.Remove(hardwareId);
    }

    /// <summary>The seats held at <paramref name="now"/>.</summary>
    public List<(string HardwareId, Instant Until)> Held(Instant now)
    {
        Expire(now);
        var seats = new List<(string, Instant)>(_held.Count);
        foreach ((string device, Instant until) in _held)
        {
            seats.Add((device, until));
        }

        return seats;
    }

    /// <summary>Frees every seat whose borrow has ended at <paramref name="now"/>. A freed seat stays free if the clock goes back.</summary>
    private void Expire(Instant now)
    {
        while (_ends.TryPeek(out string? device, out Instant end) && end <= now)
        {
            _ends.Dequeue();
            if (_held.TryGetValue(device, out Instant held) && held == end)
            {
                _held.Remove(device);
            }
        }
    }
}
