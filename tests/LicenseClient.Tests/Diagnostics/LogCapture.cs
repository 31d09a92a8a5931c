using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LicenseClient.Tests.Diagnostics;

/// <summary>
/// A logger factory whose records land in a <see cref="FakeLogCollector"/>, for <see cref="LicenseClientOptions.LoggerFactory"/>,
/// and the checks the logging tests make on what it collected.
/// </summary>
public sealed class LogCapture : IDisposable
{
    public LogCapture(LogLevel minimum = LogLevel.Trace)
    {
        Factory = LoggerFactory.Create(logging => logging.AddProvider(new FakeLoggerProvider(Collector)).SetMinimumLevel(minimum));
    }

    public FakeLogCollector Collector { get; } = new();

    public ILoggerFactory Factory { get; }

    /// <summary>Every record so far, in order.</summary>
    public IReadOnlyList<FakeLogRecord> Records => Collector.GetSnapshot();

    /// <summary>The event ids of the records at <paramref name="minimum"/> or above, in order.</summary>
    public int[] IdsFrom(LogLevel minimum) => Records.Where(r => r.Level >= minimum).Select(r => r.Id.Id).ToArray();

    /// <summary>The records with event id <paramref name="id"/>, in order.</summary>
    public FakeLogRecord[] WithId(int id) => Records.Where(r => r.Id.Id == id).ToArray();

    /// <summary>The one record with event id <paramref name="id"/>, checked for its level, category and event name.</summary>
    public FakeLogRecord Single(int id, LogLevel level)
    {
        FakeLogRecord record = Assert.Single(WithId(id));
        AssertIs(record, id, level);
        return record;
    }

    /// <summary>Waits for the record with event id <paramref name="id"/> that a seat's background work writes, and returns the first one.</summary>
    public async Task<FakeLogRecord> FirstAsync(int id, LogLevel level)
    {
        await Eventually.TrueAsync(() => WithId(id).Length > 0);
        FakeLogRecord record = WithId(id)[0];
        AssertIs(record, id, level);
        return record;
    }

    /// <summary>Asserts that <paramref name="value"/> is in no record's message, structured values or exception.</summary>
    public void AssertNowhere(string value) => AssertNotIn(Records, value);

    /// <summary>Asserts that <paramref name="value"/> is in no record above <see cref="LogLevel.Debug"/>.</summary>
    public void AssertNotAboveDebug(string value) => AssertNotIn(Records.Where(r => r.Level > LogLevel.Debug), value);

    public void Dispose() => Factory.Dispose();

    public static void AssertIs(FakeLogRecord record, int id, LogLevel level)
    {
        Assert.Equal(id, record.Id.Id);
        Assert.Equal(level, record.Level);
        Assert.Equal(LicenseClientDiagnostics.LoggerCategory, record.Category);
    }

    /// <summary>The structured value <paramref name="key"/> of <paramref name="record"/>, which must be there.</summary>
    public static string? Value(FakeLogRecord record, string key)
    {
        Assert.Contains(record.StructuredState!, pair => pair.Key == key);
        return record.GetStructuredStateValue(key);
    }

    private static void AssertNotIn(IEnumerable<FakeLogRecord> records, string value)
    {
        foreach (FakeLogRecord record in records)
        {
            Assert.DoesNotContain(value, record.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, record.Exception?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, string?> pair in record.StructuredState ?? [])
            {
                Assert.DoesNotContain(value, pair.Value ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
