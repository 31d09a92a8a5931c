using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Offline;
using NodaTime;

namespace LicenseClient.Tests.Seats;

/// <summary>The journal of pending releases: its JSON form, and how the stores keep it.</summary>
public sealed class PendingReleaseJournalTests : IDisposable
{
    private static readonly Instant Recorded = Instant.FromUtc(2026, 11, 26, 12, 0, 0);
    private readonly Receipts.TemporaryFolder _folder = Receipts.NewFolder();

    public void Dispose() => _folder.Dispose();

    private static PendingRelease Full() => new("app", "pc-1", "export", Recorded + Duration.FromHours(8), Recorded)
    {
        LicenseId = 1_234_567_890_123,
        BundleCode = "suite",
    };

    [Fact]
    public void A_pending_release_round_trips_through_its_JSON_form()
    {
        PendingRelease full = Full();
        var minimal = new PendingRelease("app", "pc-1", null, null, Recorded);

        Assert.Equal(full, PendingRelease.ParseUtf8(full.ToUtf8Json()));
        Assert.Equal(minimal, PendingRelease.ParseUtf8(minimal.ToUtf8Json()));
        Assert.NotEqual(full, minimal);
        Assert.Equal(1_234_567_890_123, PendingRelease.ParseUtf8(full.ToUtf8Json()).LicenseId);
        Assert.Equal("suite", PendingRelease.ParseUtf8(full.ToUtf8Json()).BundleCode);
        Assert.Null(PendingRelease.ParseUtf8(minimal.ToUtf8Json()).BorrowedUntil);
        Assert.Contains("\"version\":1", Encoding.UTF8.GetString(full.ToUtf8Json()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"product\":\"app\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"}")]
    [InlineData("{\"version\":2,\"product\":\"app\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"}")]
    [InlineData("{\"version\":0,\"product\":\"app\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"}")]
    [InlineData("{\"version\":\"1\",\"product\":\"app\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"}")]
    [InlineData("{\"version\":1,\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"}")]
    [InlineData("{\"version\":1,\"product\":\" \",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"}")]
    [InlineData("{\"version\":1,\"product\":\"app\",\"hardware_id\":\"pc-1\"}")]
    [InlineData("{\"version\":1,\"product\":\"app\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"yesterday\"}")]
    [InlineData("{\"version\":1,\"product\":\"app\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\",\"borrowed_until\":\"soon\"}")]
    [InlineData("{\"version\":1,\"product\":\"app\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"")]
    public void An_entry_that_is_not_a_journal_entry_of_a_known_version_is_refused(string json)
    {
        Assert.Throws<FormatException>(() => PendingRelease.ParseUtf8(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void A_pending_release_needs_a_product_and_a_hardware_id()
    {
        Assert.ThrowsAny<ArgumentException>(() => new PendingRelease(" ", "pc-1", null, null, Recorded));
        Assert.ThrowsAny<ArgumentException>(() => new PendingRelease("app", "", null, null, Recorded));
        Assert.ThrowsAny<ArgumentException>(() => new PendingRelease("app", "pc-1", " ", null, Recorded));
    }

    [Fact]
    public async Task The_file_store_saves_loads_replaces_and_deletes_entries_one_file_each()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        var license = new PendingRelease("app", "pc-1", null, null, Recorded);

        await store.SavePendingReleaseAsync(license);
        await store.SavePendingReleaseAsync(Full());
        PendingRelease later = Full().With(Recorded + Duration.FromMinutes(1));
        await store.SavePendingReleaseAsync(later);

        Assert.Equal(
            new[] { "pending-release-app.device-pc-1.json", "pending-release-app.feature-export.device-pc-1.json" },
            Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(store.PendingReleasePathOf("app", "pc-1", "export"), Path.Combine(_folder.Path, "pending-release-app.feature-export.device-pc-1.json"));
        PendingRelease[] loaded = (await store.LoadPendingReleasesAsync()).OrderBy(r => r.Feature).ToArray();
        Assert.Equal([license, later], loaded);

        // Only the entry that was loaded is deleted: an older copy of it deletes nothing.
        await store.DeletePendingReleaseAsync(Full());
        Assert.Equal(2, (await store.LoadPendingReleasesAsync()).Count);
        await store.DeletePendingReleaseAsync(later);
        Assert.Equal([license], await store.LoadPendingReleasesAsync());
        await store.DeletePendingReleaseAsync(license);
        await store.DeletePendingReleaseAsync(license);
        Assert.Empty(await store.LoadPendingReleasesAsync());
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task The_file_store_leaves_out_an_entry_it_cannot_read_and_leaves_it_in_place()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        await store.SavePendingReleaseAsync(Full());
        string damaged = store.PendingReleasePathOf("app", "pc-1");
        string newer = store.PendingReleasePathOf("other", "pc-1");
        await File.WriteAllTextAsync(damaged, "{\"version\":1,\"prod");
        await File.WriteAllTextAsync(newer, "{\"version\":2,\"product\":\"other\",\"hardware_id\":\"pc-1\",\"recorded_at\":\"2026-11-26T12:00:00Z\"}");

        Assert.Equal([Full()], await store.LoadPendingReleasesAsync());
        Assert.Equal("{\"version\":1,\"prod", await File.ReadAllTextAsync(damaged));
        Assert.True(File.Exists(newer));
    }

    [Fact]
    public async Task The_file_store_writes_entries_atomically_and_leaves_no_temporary_file()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(
            () => store.SavePendingReleaseAsync(Full().With(Recorded + Duration.FromSeconds(i))))));

        string only = Assert.Single(Directory.GetFileSystemEntries(_folder.Path));
        Assert.Equal(store.PendingReleasePathOf("app", "pc-1", "export"), only);
        PendingRelease kept = Assert.Single(await store.LoadPendingReleasesAsync());
        Assert.InRange(kept.RecordedAt, Recorded, Recorded + Duration.FromSeconds(19));
    }

    [Fact]
    public async Task Long_codes_and_hardware_ids_give_short_distinct_journal_files_that_round_trip()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        string code = new('P', 90);
        var first = new PendingRelease(code, new string('H', 90), code, null, Recorded);
        var second = new PendingRelease(code, new string('H', 90) + "2", code, null, Recorded);

        await store.SavePendingReleaseAsync(first);
        await store.SavePendingReleaseAsync(second);

        string[] names = Directory.GetFiles(_folder.Path).Select(Path.GetFileName).ToArray()!;
        Assert.Equal(2, names.Length);
        Assert.All(names, name => Assert.InRange(name!.Length, 1, 165));
        Assert.Equal([first, second], (await store.LoadPendingReleasesAsync()).OrderBy(r => r.HardwareId.Length));
        await store.DeletePendingReleaseAsync(first);
        Assert.Equal([second], await store.LoadPendingReleasesAsync());
    }

    [Fact]
    public async Task The_file_store_reads_an_empty_journal_from_a_folder_not_yet_made()
    {
        var store = new FileBorrowReceiptStore(Path.Combine(_folder.Path, "not-yet"));

        Assert.Empty(await store.LoadPendingReleasesAsync());
        await store.DeletePendingReleaseAsync(Full());
        Assert.False(Directory.Exists(store.Folder));
    }

    [Fact]
    public async Task Neither_store_keeps_a_secret_in_the_journal()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        await store.SavePendingReleaseAsync(Full());

        string text = await File.ReadAllTextAsync(store.PendingReleasePathOf("app", "pc-1", "export"));

        Assert.DoesNotContain("key", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_memory_store_keeps_one_entry_per_product_feature_and_hardware_id()
    {
        var store = new InMemoryBorrowReceiptStore();
        var license = new PendingRelease("app", "pc-1", null, null, Recorded);
        await store.SavePendingReleaseAsync(license);
        await store.SavePendingReleaseAsync(new PendingRelease("app", "pc-2", null, null, Recorded));
        await store.SavePendingReleaseAsync(Full());
        await store.SavePendingReleaseAsync(Full().With(Recorded + Duration.FromMinutes(1)));

        Assert.Equal(3, (await store.LoadPendingReleasesAsync()).Count);
        Assert.Contains(Full().With(Recorded + Duration.FromMinutes(1)), await store.LoadPendingReleasesAsync());

        await store.DeletePendingReleaseAsync(Full());
        Assert.Equal(3, (await store.LoadPendingReleasesAsync()).Count);
        await store.DeletePendingReleaseAsync(license);
        Assert.Equal(["pc-2", "pc-1"], (await store.LoadPendingReleasesAsync()).OrderBy(r => r.Feature).Select(r => r.HardwareId));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.DeletePendingReleaseAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.SavePendingReleaseAsync(null!));
    }
}

internal static class PendingReleases
{
    /// <summary>The same pending release, recorded at <paramref name="recordedAt"/>.</summary>
    public static PendingRelease With(this PendingRelease release, Instant recordedAt)
        => new(release.Product, release.HardwareId, release.Feature, release.BorrowedUntil, recordedAt)
        {
            LicenseId = release.LicenseId,
            BundleCode = release.BundleCode,
        };
}
