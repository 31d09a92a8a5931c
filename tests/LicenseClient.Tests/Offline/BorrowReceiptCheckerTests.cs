using System;
using System.Text;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;

namespace LicenseClient.Tests.Offline;

public sealed class BorrowReceiptCheckerTests
{
    private readonly FakeClock _clock = new(Receipts.Issued + Duration.FromHours(1));

    [Fact]
    public void A_genuine_receipt_is_valid_until_the_signed_borrowed_until()
    {
        ReceiptCheck check = Receipts.Checker(_clock).Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.Valid, check.Status);
        Assert.True(check.IsValid);
        Assert.Equal(Receipts.Until, check.BorrowedUntil);
        Assert.Equal(_clock.GetCurrentInstant(), check.TrustedTime);
        Assert.Equal(_clock.GetCurrentInstant(), check.CheckedAt);
    }

    [Fact]
    public void One_flipped_byte_anywhere_in_the_body_makes_the_signature_invalid()
    {
        BorrowReceiptChecker checker = Receipts.Checker(_clock);
        byte[] body = Receipts.Body;
        for (int i = 0; i < body.Length; i++)
        {
            byte[] changed = (byte[])body.Clone();
            changed[i] ^= 0x01;
            var receipt = new BorrowReceipt(changed, TestKeys.Sign(body), Receipts.Issued, Receipts.Product, Receipts.HardwareId);

            ReceiptCheck check = checker.Check(receipt, Receipts.Product, Receipts.HardwareId);

            Assert.Equal(ReceiptCheckStatus.SignatureInvalid, check.Status);
            Assert.Null(check.BorrowedUntil);
        }
    }

    [Fact]
    public void A_later_borrowed_until_written_into_the_body_makes_the_signature_invalid()
    {
        byte[] later = Encoding.UTF8.GetBytes(Receipts.BodyText.Replace("2026-11-27", "2026-11-28", StringComparison.Ordinal));
        var receipt = new BorrowReceipt(later, TestKeys.Sign(Receipts.Body), Receipts.Issued, Receipts.Product, Receipts.HardwareId);

        ReceiptCheck check = Receipts.Checker(_clock).Check(receipt, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.SignatureInvalid, check.Status);
    }

    [Fact]
    public void One_flipped_byte_in_the_signature_makes_it_invalid()
    {
        byte[] signature = Convert.FromBase64String(TestKeys.Sign(Receipts.Body));
        signature[signature.Length / 2] ^= 0x01;
        var receipt = new BorrowReceipt(Receipts.Body, Convert.ToBase64String(signature), Receipts.Issued, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.SignatureInvalid, Receipts.Checker(_clock).Check(receipt, Receipts.Product, Receipts.HardwareId).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    public void A_missing_or_unreadable_signature_is_invalid(string? signature)
    {
        var receipt = new BorrowReceipt(Receipts.Body, signature, Receipts.Issued, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.SignatureInvalid, Receipts.Checker(_clock).Check(receipt, Receipts.Product, Receipts.HardwareId).Status);
    }

    [Fact]
    public void A_flipped_byte_in_the_product_or_hardware_id_gives_the_matching_result()
    {
        BorrowReceiptChecker checker = Receipts.Checker(_clock);
        var otherProduct = new BorrowReceipt(Receipts.Body, TestKeys.Sign(Receipts.Body), Receipts.Issued, "product-y", Receipts.HardwareId);
        var otherDevice = new BorrowReceipt(Receipts.Body, TestKeys.Sign(Receipts.Body), Receipts.Issued, Receipts.Product, "hw-1235");

        ReceiptCheck product = checker.Check(otherProduct, Receipts.Product, Receipts.HardwareId);
        ReceiptCheck device = checker.Check(otherDevice, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.WrongProduct, product.Status);
        Assert.Equal(ReceiptCheckStatus.WrongHardwareId, device.Status);
        Assert.Equal(Receipts.Until, device.BorrowedUntil);
    }

    [Fact]
    public void A_receipt_is_checked_for_its_own_feature_only()
    {
        BorrowReceiptChecker checker = Receipts.Checker(_clock);

        Assert.Equal(ReceiptCheckStatus.Valid, checker.Check(Receipts.Genuine("export"), Receipts.Product, Receipts.HardwareId, "export").Status);
        Assert.Equal(ReceiptCheckStatus.WrongFeature, checker.Check(Receipts.Genuine("export"), Receipts.Product, Receipts.HardwareId, "import").Status);
        Assert.Equal(ReceiptCheckStatus.WrongFeature, checker.Check(Receipts.Genuine("export"), Receipts.Product, Receipts.HardwareId).Status);
        Assert.Equal(ReceiptCheckStatus.WrongFeature, checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId, "export").Status);
    }

    [Fact]
    public void A_receipt_expires_at_its_borrowed_until()
    {
        BorrowReceiptChecker checker = Receipts.Checker(_clock);
        _clock.Reset(Receipts.Until - Duration.FromMilliseconds(1));
        Assert.Equal(ReceiptCheckStatus.Valid, checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId).Status);

        _clock.Reset(Receipts.Until);
        ReceiptCheck check = checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.Expired, check.Status);
        Assert.Equal(Receipts.Until, check.BorrowedUntil);
    }

    [Fact]
    public void A_receipt_signed_by_another_key_is_invalid_with_the_production_key_by_default()
    {
        var checker = new BorrowReceiptChecker(clock: _clock);

        Assert.Equal(ReceiptCheckStatus.SignatureInvalid, checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId).Status);
    }

    [Fact]
    public void A_clock_wound_back_past_the_mark_is_refused_and_honoured_again_once_it_is_right()
    {
        BorrowReceiptChecker checker = Receipts.Checker(_clock);
        Instant t = _clock.GetCurrentInstant();
        ReceiptCheck first = checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId);

        _clock.Reset(t - Duration.FromHours(1) + Duration.FromMinutes(30));
        ReceiptCheck back = checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId, trustedTime: first.TrustedTime);
        _clock.Reset(t - Duration.FromMinutes(4));
        ReceiptCheck withinTolerance = checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId, trustedTime: back.TrustedTime);

        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, back.Status);
        Assert.Equal(t, back.TrustedTime);
        Assert.Equal(ReceiptCheckStatus.Valid, withinTolerance.Status);
        Assert.Equal(t, withinTolerance.TrustedTime);
    }

    [Fact]
    public void A_clock_set_before_the_borrow_is_refused_even_without_a_stored_mark()
    {
        _clock.Reset(Receipts.Issued - Duration.FromDays(30));

        ReceiptCheck check = Receipts.Checker(_clock).Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, check.Status);
        Assert.Equal(Receipts.Issued, check.TrustedTime);
    }

    [Fact]
    public void Without_a_date_the_signed_start_of_the_borrow_still_bounds_the_clock()
    {
        var undated = new BorrowReceipt(Receipts.Body, TestKeys.Sign(Receipts.Body), null, Receipts.Product, Receipts.HardwareId);
        _clock.Reset(Receipts.Issued - Duration.FromDays(1));

        ReceiptCheck check = Receipts.Checker(_clock).Check(undated, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, check.Status);
        Assert.Equal(Receipts.Until - Duration.FromHours(12), check.TrustedTime);
    }

    [Fact]
    public void A_forged_date_far_ahead_moves_the_mark_no_further_than_the_receipts_own_end()
    {
        BorrowReceipt forged = Receipts.Genuine(serverDate: Receipts.Issued + Duration.FromDays(3650));

        ReceiptCheck check = Receipts.Checker(_clock).Check(forged, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, check.Status);
        Assert.Equal(Receipts.Until, check.TrustedTime);
    }

    [Fact]
    public void The_tolerance_is_configurable()
    {
        BorrowReceiptChecker strict = Receipts.Checker(_clock, Duration.Zero);
        Instant t = _clock.GetCurrentInstant();
        _clock.Reset(t - Duration.FromSeconds(1));

        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, strict.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId, trustedTime: t).Status);
        Assert.Equal(BorrowReceiptChecker.DefaultClockTolerance, Receipts.Checker(_clock).ClockTolerance);
        Assert.Equal(Duration.FromMinutes(5), BorrowReceiptChecker.DefaultClockTolerance);
    }

    [Fact]
    public void Bad_arguments_are_refused_before_anything_is_checked()
    {
        BorrowReceiptChecker checker = Receipts.Checker(_clock);

        Assert.Throws<ArgumentNullException>("receipt", () => checker.Check(null!, Receipts.Product, Receipts.HardwareId));
        Assert.Throws<ArgumentException>("product", () => checker.Check(Receipts.Genuine(), " ", Receipts.HardwareId));
        Assert.Throws<ArgumentException>("hardwareId", () => checker.Check(Receipts.Genuine(), Receipts.Product, ""));
        Assert.Throws<ArgumentException>("feature", () => checker.Check(Receipts.Genuine(), Receipts.Product, Receipts.HardwareId, " "));
        Assert.Throws<ArgumentException>("serverPublicKey", () => new BorrowReceiptChecker("not a key"));
        Assert.Throws<ArgumentOutOfRangeException>("clockTolerance", () => new BorrowReceiptChecker(clockTolerance: Duration.FromMinutes(-1)));
    }

    [Fact]
    public async Task A_stored_check_at_T_then_an_hour_back_is_wound_back_forward_again_valid_and_the_mark_survives_a_restart()
    {
        using Receipts.TemporaryFolder folder = Receipts.NewFolder();
        await new FileBorrowReceiptStore(folder.Path).SaveAsync(Receipts.Genuine());
        BorrowReceiptChecker checker = Receipts.Checker(_clock);
        Instant t = _clock.GetCurrentInstant();

        ReceiptCheck atT = await checker.CheckStoredAsync(new FileBorrowReceiptStore(folder.Path), Receipts.Product, Receipts.HardwareId);
        _clock.Reset(t - Duration.FromHours(1));
        ReceiptCheck back = await checker.CheckStoredAsync(new FileBorrowReceiptStore(folder.Path), Receipts.Product, Receipts.HardwareId);
        _clock.Reset(t);
        ReceiptCheck forward = await checker.CheckStoredAsync(new FileBorrowReceiptStore(folder.Path), Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.Valid, atT.Status);
        Assert.Equal(ReceiptCheckStatus.ClockWoundBack, back.Status);
        Assert.Equal(ReceiptCheckStatus.Valid, forward.Status);
        Assert.Equal(t, await new FileBorrowReceiptStore(folder.Path).LoadTrustedTimeAsync());
    }

    [Fact]
    public async Task A_stored_check_reports_a_missing_or_unreadable_receipt()
    {
        var store = new InMemoryBorrowReceiptStore();
        using Receipts.TemporaryFolder folder = Receipts.NewFolder();
        var files = new FileBorrowReceiptStore(folder.Path);
        await System.IO.File.WriteAllTextAsync(files.PathOf(Receipts.Product), "{\"version\":1,");

        ReceiptCheck none = await Receipts.Checker(_clock).CheckStoredAsync(store, Receipts.Product, Receipts.HardwareId);
        ReceiptCheck torn = await Receipts.Checker(_clock).CheckStoredAsync(files, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.NoReceipt, none.Status);
        Assert.Equal(ReceiptLoadStatus.NotFound, none.Load?.Status);
        Assert.Equal(ReceiptCheckStatus.ReceiptUnreadable, torn.Status);
        Assert.Equal(ReceiptLoadStatus.Corrupt, torn.Load?.Status);
    }

    [Fact]
    public void A_receipt_checks_against_the_signed_company_and_reports_the_signed_facts()
    {
        BorrowReceipt receipt = Receipts.Genuine();

        ReceiptCheck ours = Receipts.Checker(_clock, companyId: 276).Check(receipt, Receipts.Product, Receipts.HardwareId);
        ReceiptCheck theirs = Receipts.Checker(_clock, companyId: 277).Check(receipt, Receipts.Product, Receipts.HardwareId, trustedTime: Receipts.Issued);

        Assert.Equal(ReceiptCheckStatus.Valid, ours.Status);
        Assert.Equal(276, ours.CompanyId);
        Assert.Equal(12345, ours.LicenseId);
        Assert.Equal(23456, ours.DeviceId);
        Assert.Equal(ReceiptCheckStatus.WrongCompany, theirs.Status);
        Assert.Equal(276, theirs.CompanyId);
        Assert.Equal(Receipts.Issued, theirs.TrustedTime);
    }

    [Fact]
    public void A_signed_body_without_a_company_is_wrong_company_when_one_is_expected()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"borrowed_until\":\"2026-11-27T00:00:00.000Z\",\"max_borrow_time\":12,\"device_id\":23456,\"license_id\":12345}");
        var receipt = new BorrowReceipt(body, TestKeys.Sign(body), Receipts.Issued, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.WrongCompany, Receipts.Checker(_clock, companyId: 276).Check(receipt, Receipts.Product, Receipts.HardwareId).Status);
        Assert.Equal(ReceiptCheckStatus.Valid, Receipts.Checker(_clock).Check(receipt, Receipts.Product, Receipts.HardwareId).Status);
    }

    [Fact]
    public void Product_and_hardware_id_are_not_signed_so_a_relabelled_receipt_of_the_same_company_checks_valid()
    {
        // What WrongProduct and WrongHardwareId cannot stop: the labels outside the signed body can be rewritten.
        var relabelled = new BorrowReceipt(Receipts.Body, TestKeys.Sign(Receipts.Body), Receipts.Issued, "another-product", "another-machine");

        ReceiptCheck check = Receipts.Checker(_clock, companyId: 276).Check(relabelled, "another-product", "another-machine");

        Assert.Equal(ReceiptCheckStatus.Valid, check.Status);
    }
}
