using System;
using System.Threading.Tasks;
using LicenseClient.Tests.Emulator;

namespace LicenseClient.Tests.Seats;

/// <summary>Bad requests and options are refused with an ArgumentException, before anything is sent.</summary>
public sealed class SeatArgumentTests
{
    private static readonly LicenseCredential Key = LicenseCredential.FromLicenseKey("KEY-OK");

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void A_blank_product_or_hardware_id_is_refused(string? blank)
    {
        Assert.ThrowsAny<ArgumentException>(() => new SeatRequest(blank!, "pc-1", Key));
        Assert.ThrowsAny<ArgumentException>(() => new SeatRequest("app", blank!, Key));
        var request = new SeatRequest("app", "pc-1", Key);
        Assert.ThrowsAny<ArgumentException>(() => request with { Product = blank! });
        Assert.ThrowsAny<ArgumentException>(() => request with { HardwareId = blank! });
    }

    [Fact]
    public void A_missing_credential_a_blank_feature_or_bundle_and_a_license_id_below_one_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new SeatRequest("app", "pc-1", null!));
        var request = new SeatRequest("app", "pc-1", Key);
        Assert.ThrowsAny<ArgumentException>(() => request with { Feature = " " });
        Assert.ThrowsAny<ArgumentException>(() => request with { BundleCode = "" });
        Assert.Throws<ArgumentOutOfRangeException>(() => request with { LicenseId = 0 });
        Assert.Equal("export", (request with { Feature = "export" }).Feature);
    }

    [Fact]
    public void A_request_and_a_seat_never_show_their_credential()
    {
        var request = new SeatRequest("app", "pc-1", LicenseCredential.FromUser("ada@example.com", "pw-ada-secret"));

        Assert.DoesNotContain("pw-ada-secret", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("KEY-OK", new SeatRequest("app", "pc-1", Key).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_token_without_a_release_credential_is_refused_before_any_request()
    {
        await using EmulatorFixture fixture = await EmulatorFixture.StartAsync();
        using LicenseApiClient client = fixture.Client();
        var request = new SeatRequest("app", "pc-1", LicenseCredential.FromIdToken("token-ada", "acme"));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => FloatingSeat.AcquireAsync(client, request));
        await Assert.ThrowsAsync<ArgumentException>(() => FloatingSeat.ReleasePendingAsync(client, request));

        Assert.Equal("ReleaseCredential", refused.ParamName);
        Assert.Equal(0, fixture.Emulator.RequestCount);

        // With the user it signs in as release credential, the seat is held and given back.
        FloatingSeat seat = await FloatingSeat.AcquireAsync(client, request with { ReleaseCredential = LicenseCredential.FromUsername("ada@example.com") });
        Assert.Equal(1, fixture.Emulator.SeatsInUse(6));
        Assert.True(await seat.ReleaseAsync());
        Assert.Equal(0, fixture.Emulator.SeatsInUse(6));
    }

    [Fact]
    public async Task Options_whose_max_delay_is_below_the_base_delay_are_refused_before_any_request()
    {
        await using EmulatorFixture fixture = await EmulatorFixture.StartAsync();
        using LicenseApiClient client = fixture.Client();
        var options = new SeatOptions { BaseDelay = TimeSpan.FromMinutes(2), MaxDelay = TimeSpan.FromMinutes(1) };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => FloatingSeat.AcquireAsync(client, new SeatRequest("app", "pc-1", Key), options));

        Assert.Equal("options", refused.ParamName);
        Assert.Contains("MaxDelay", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_null_client_or_request_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => FloatingSeat.AcquireAsync(null!, new SeatRequest("app", "pc-1", Key)));
        using var client = new LicenseApiClient(new LicenseClientOptions { ApiKey = "k", SharedKey = "s" });
        await Assert.ThrowsAsync<ArgumentNullException>(() => FloatingSeat.AcquireAsync(client, null!));
    }

    [Fact]
    public void Seat_options_have_their_documented_defaults()
    {
        var options = new SeatOptions();

        Assert.False(options.WaitForSeat);
        Assert.Null(options.WaitTimeout);
        Assert.Null(options.RenewBefore);
        Assert.Null(options.BorrowFor);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BaseDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReleaseTimeout);
    }

    public static TheoryData<Action<SeatOptions>> OutOfBounds => new()
    {
        o => o.WaitTimeout = TimeSpan.Zero,
        o => o.WaitTimeout = TimeSpan.FromSeconds(-1),
        o => o.RenewBefore = TimeSpan.Zero,
        o => o.BorrowFor = TimeSpan.FromTicks(-1),
        o => o.BaseDelay = TimeSpan.Zero,
        o => o.BaseDelay = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1),
        o => o.MaxDelay = TimeSpan.FromSeconds(-1),
        o => o.MaxDelay = TimeSpan.FromDays(2),
        o => o.ReleaseTimeout = TimeSpan.Zero,
        o => o.ReleaseTimeout = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1),
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public void Seat_options_out_of_bounds_are_refused(Action<SeatOptions> set)
    {
        var options = new SeatOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => set(options));
    }

    [Fact]
    public void Seat_options_take_their_bounds_and_null()
    {
        var options = new SeatOptions
        {
            BaseDelay = TimeSpan.FromDays(1),
            MaxDelay = TimeSpan.FromDays(1),
            ReleaseTimeout = TimeSpan.FromHours(1),
            WaitTimeout = TimeSpan.FromTicks(1),
            RenewBefore = TimeSpan.FromHours(5),
            BorrowFor = TimeSpan.FromHours(2),
        };
        options.WaitTimeout = null;
        options.RenewBefore = null;
        options.BorrowFor = null;

        Assert.Equal(TimeSpan.FromDays(1), options.BaseDelay);
        Assert.Equal(TimeSpan.FromHours(1), options.ReleaseTimeout);
        Assert.Null(options.WaitTimeout);
        Assert.Null(options.RenewBefore);
        Assert.Null(options.BorrowFor);
    }
}
