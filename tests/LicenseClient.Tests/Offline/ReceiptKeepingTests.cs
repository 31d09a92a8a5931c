using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Emulator;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Offline;

/// <summary>
/// What the client does with the store around a call: a granted borrow is never lost to a store failure or a late
/// cancellation, the trusted-time mark never moves back unless it is provably wrong, and a release deletes first.
/// </summary>
public sealed class ReceiptKeepingTests : IAsyncLifetime
{
    /// <summary>When the stub's borrow ends (<see cref="LicenseApiStub.SuccessBody"/>), and the earliest the server can have answered (12 hours before).</summary>
    private static readonly Instant Until = Instant.FromUtc(2030, 1, 2, 3, 4, 5);
    private static readonly Instant Earliest = Until - Duration.FromHours(12);

    /// <summary>A server time within what the signed body allows.</summary>
    private static readonly Instant Answered = Instant.FromUtc(2030, 1, 1, 20, 0, 0);

    private EmulatorFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await EmulatorFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_store_that_cannot_write_fails_the_borrow_with_the_granted_result_and_its_receipt()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        var store = new ScriptedStore { SaveFailure = new IOException("The disk is full.") };
        using LicenseApiClient client = Client(api, store);

        ReceiptNotSavedException error = await Assert.ThrowsAsync<ReceiptNotSavedException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(LicenseErrorCodes.ReceiptNotSaved, error.ErrorCode);
        Assert.Equal(LicenseApiOperation.Borrow, error.Operation);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(1_673_449_189_923_780, error.BorrowedLicense!.LicenseId);
        Assert.Null(error.BorrowedFeature);
        Assert.Same(error.BorrowedLicense.Receipt, error.Receipt);

        // The app keeps the seat, and saves the receipt again later with no server call.
        store.SaveFailure = null;
        await store.SaveAsync(error.Receipt);
        Assert.Same(error.Receipt, (await store.LoadAsync(error.Receipt.Product)).Receipt);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task A_feature_borrow_whose_receipt_cannot_be_saved_carries_the_granted_feature()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.SuccessAnswer());
        using LicenseApiClient client = Client(api, new ScriptedStore { SaveFailure = new InvalidOperationException("The store is closed.") });

        ReceiptNotSavedException error = await Assert.ThrowsAsync<ReceiptNotSavedException>(
            () => client.BorrowFeatureAsync(new FeatureBorrowRequest("p", "export", "h", LicenseCredential.FromLicenseKey("KEY-1"))));

        Assert.Equal(LicenseApiOperation.BorrowFeature, error.Operation);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal("export", error.BorrowedFeature!.Feature);
        Assert.Null(error.BorrowedLicense);
        Assert.Equal("export", error.Receipt.Feature);
    }

    [Fact]
    public async Task A_cancellation_after_the_seat_was_granted_does_not_stop_the_receipt_being_saved()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        using var cancellation = new CancellationTokenSource();
        var store = new ScriptedStore { BeforeSave = cancellation.Cancel };
        using LicenseApiClient client = Client(api, store);

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey(), cancellation.Token);

        Assert.True(cancellation.IsCancellationRequested);
        Assert.Same(borrowed.Receipt, (await store.LoadAsync(borrowed.Receipt!.Product)).Receipt);
    }

    [Fact]
    public async Task A_trusted_time_mark_that_cannot_be_written_does_not_fail_the_borrow()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        var store = new ScriptedStore { MarkFailure = new IOException("The disk is full.") };
        using LicenseApiClient client = Client(api, store);

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Same(borrowed.Receipt, (await store.LoadAsync(borrowed.Receipt!.Product)).Receipt);
        Assert.Null(await store.LoadTrustedTimeAsync());
    }

    [Fact]
    public async Task A_mark_later_than_the_end_of_a_granted_borrow_is_reset_to_the_answers_time()
    {
        Instant? mark = await MarkAfterBorrowAsync(existing: Until + Duration.FromDays(30), serverDate: Answered);

        Assert.Equal(Answered, mark);
    }

    [Fact]
    public async Task A_mark_slightly_ahead_of_the_answer_but_within_the_borrow_is_kept()
    {
        Instant ahead = Answered + Duration.FromHours(1);

        Instant? mark = await MarkAfterBorrowAsync(existing: ahead, serverDate: Answered);

        Assert.Equal(ahead, mark);
    }

    [Fact]
    public async Task A_mark_behind_the_answer_moves_forward_to_it()
    {
        Instant? mark = await MarkAfterBorrowAsync(existing: Earliest, serverDate: Answered);

        Assert.Equal(Answered, mark);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_missing_or_early_date_never_lowers_the_mark(bool withDate)
    {
        // Without a Date, or with one years early, the answer proves only the signed lower bound, which is below the mark.
        Instant? early = withDate ? Instant.FromUtc(2026, 1, 1, 0, 0, 0) : null;

        Instant? mark = await MarkAfterBorrowAsync(existing: Answered, serverDate: early);

        Assert.Equal(Answered, mark);
    }

    [Fact]
    public async Task A_release_deletes_the_receipt_before_it_is_sent()
    {
        using LicenseApiStub api = new LicenseApiStub()
            .RespondWithSuccess()
            .RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.ErrorAnswer(400, "device_not_found", "Device not found"));
        var store = new InMemoryBorrowReceiptStore();
        using LicenseApiClient client = Client(api, store);
        BorrowRequest borrow = Requests.WithLicenseKey();
        await client.BorrowAsync(borrow);

        await Assert.ThrowsAsync<DeviceNotFoundException>(() => client.ReleaseAsync(new ReleaseRequest(borrow.Product, borrow.HardwareId, borrow.Credential)));

        Assert.Equal(ReceiptLoadStatus.NotFound, (await store.LoadAsync(borrow.Product)).Status);
    }

    [Fact]
    public async Task A_receipt_that_cannot_be_deleted_stops_the_release_before_anything_is_sent()
    {
        using LicenseApiStub api = new LicenseApiStub().RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        using LicenseApiClient client = Client(api, new ScriptedStore { DeleteFailure = new UnauthorizedAccessException("Read-only.") });
        LicenseCredential key = LicenseCredential.FromLicenseKey("KEY-1");

        LicenseApiException release = await Assert.ThrowsAsync<LicenseApiException>(() => client.ReleaseAsync(new ReleaseRequest("p", "h", key)));
        LicenseApiException featureRelease = await Assert.ThrowsAsync<LicenseApiException>(() => client.ReleaseFeatureAsync(new FeatureReleaseRequest("p", "export", "h", key)));

        Assert.Equal(LicenseErrorCodes.ReceiptNotDeleted, release.ErrorCode);
        Assert.Equal(LicenseApiOperation.Release, release.Operation);
        Assert.IsType<UnauthorizedAccessException>(release.InnerException);
        Assert.Equal(LicenseErrorCodes.ReceiptNotDeleted, featureRelease.ErrorCode);
        Assert.Equal(LicenseApiOperation.ReleaseFeature, featureRelease.Operation);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task A_receipt_from_the_emulator_carries_its_signed_company_and_is_refused_for_another_company()
    {
        var store = new InMemoryBorrowReceiptStore();
        LicenseClientOptions options = _fixture.Options();
        options.ReceiptStore = store;
        using var client = new LicenseApiClient(options);
        long company = EmulatorFixture.Seed().CompanyId;

        BorrowedLicense borrowed = await client.BorrowAsync(new BorrowRequest(EmulatorFixture.Product, "hw-1", LicenseCredential.FromLicenseKey("KEY-OK")));
        ReceiptCheck ours = await new BorrowReceiptChecker(_fixture.Emulator.PublicKeyPem, _fixture.Clock, companyId: company)
            .CheckStoredAsync(store, EmulatorFixture.Product, "hw-1");
        ReceiptCheck theirs = await new BorrowReceiptChecker(_fixture.Emulator.PublicKeyPem, _fixture.Clock, companyId: company + 1)
            .CheckStoredAsync(store, EmulatorFixture.Product, "hw-1");

        Assert.Equal(company, borrowed.CompanyId);
        Assert.Equal(ReceiptCheckStatus.Valid, ours.Status);
        Assert.Equal(company, ours.CompanyId);
        Assert.Equal(borrowed.LicenseId, ours.LicenseId);
        Assert.Equal(borrowed.DeviceId, ours.DeviceId);
        Assert.Equal(ReceiptCheckStatus.WrongCompany, theirs.Status);
        Assert.Equal(company, theirs.CompanyId);
        Assert.NotNull(theirs.Load);
    }

    private static LicenseApiClient Client(LicenseApiStub api, IBorrowReceiptStore store)
    {
        LicenseClientOptions options = api.Options();
        options.ReceiptStore = store;
        return api.CreateClient(options);
    }

    /// <summary>Borrows from the stub with <paramref name="existing"/> as the stored mark and the answer dated <paramref name="serverDate"/> (none when null).</summary>
    private static async Task<Instant?> MarkAfterBorrowAsync(Instant existing, Instant? serverDate)
    {
        using LicenseApiStub api = new LicenseApiStub().RespondWithSuccess();
        api.ServerClockOffset = serverDate is Instant date ? date - api.Clock.GetCurrentInstant() : null;
        var store = new InMemoryBorrowReceiptStore();
        await store.SaveTrustedTimeAsync(existing);
        using LicenseApiClient client = Client(api, store);

        BorrowedLicense borrowed = await client.BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(serverDate, borrowed.Receipt!.ServerDate);
        return await store.LoadTrustedTimeAsync();
    }
}
