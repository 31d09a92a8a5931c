using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using NodaTime;

namespace LicenseClient.Testing;

/// <summary>
/// The floating licenses, their features, and the seats borrowed from them: the emulator's state, and the rules
/// of the borrow, release, feature borrow and feature release endpoints. Safe to use from many threads.
/// </summary>
internal sealed class FloatingLicenses
{
    private static readonly string[] BorrowedUntilFormats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK",
        "yyyy'-'MM'-'dd'T'HH':'mmK",
        "yyyy'-'MM'-'dd' 'HH':'mm':'ss.FFFFFFFK",
        "yyyy'-'MM'-'dd' 'HH':'mmK",
        "yyyy'-'MM'-'dd",
    ];

    /// <summary>The first device id handed out: real ids are above 2^31 (this one is a real id's size).</summary>
    private const long FirstDeviceId = 1_687_283_003_863_909;

    private readonly object _gate = new();
    private readonly EmulatorSeed _seed;
    private readonly bool _autoActivateDevices;
    private readonly Dictionary<string, EmulatedProduct> _products;
    private readonly HashSet<string> _blacklisted;

    /// <summary>Seats by license id and feature code (null for the license's own seats).</summary>
    private readonly Dictionary<(long License, string? Feature), SeatPool> _seats = [];

    /// <summary>Devices by license id, then hardware id: the seeded ones and those activated since.</summary>
    private readonly Dictionary<long, Dictionary<string, Device>> _devices = [];
    private long _nextDeviceId = FirstDeviceId;

    public FloatingLicenses(EmulatorSeed seed, bool autoActivateDevices)
    {
        _seed = seed;
        _autoActivateDevices = autoActivateDevices;
        _products = new Dictionary<string, EmulatedProduct>(StringComparer.Ordinal);
        foreach (EmulatedProduct product in seed.Products)
        {
            _products[product.Code] = product;
        }

        _blacklisted = new HashSet<string>(seed.BlacklistedHardwareIds, StringComparer.Ordinal);
        foreach (EmulatedLicense license in seed.Licenses)
        {
            var devices = new Dictionary<string, Device>(StringComparer.Ordinal);
            foreach (EmulatedDevice device in license.Devices)
            {
                devices[device.HardwareId] = new Device(_nextDeviceId++, device.Active);
            }

            _devices[license.Id] = devices;
        }
    }

    /// <summary>How many devices hold a seat of license <paramref name="licenseId"/> at <paramref name="now"/>.</summary>
    public int SeatsInUse(long licenseId, Instant now) => SeatsInUse((licenseId, null), now);

    /// <summary>How many devices hold a seat of feature <paramref name="feature"/> of license <paramref name="licenseId"/> at <paramref name="now"/>.</summary>
    public int FeatureSeatsInUse(long licenseId, string feature, Instant now) => SeatsInUse((licenseId, feature), now);

    /// <summary>Every license's seats in use, borrows and devices at <paramref name="now"/>.</summary>
    public IReadOnlyList<LicenseState> State(Instant now)
    {
        lock (_gate)
        {
            return _seed.Licenses.Select(license => new LicenseState(
                license.Id,
                license.Product,
                license.FloatingUsers,
                SeatsInUse((license.Id, null), now),
                Borrows((license.Id, null), now),
                license.Features.Where(f => f.Floating).Select(f => new FeatureState(
                    f.Code, f.FloatingUsers, SeatsInUse((license.Id, f.Code), now), Borrows((license.Id, f.Code), now))).ToList(),
                _devices.TryGetValue(license.Id, out Dictionary<string, Device>? devices)
                    ? devices.Select(d => new DeviceState(d.Key, d.Value.Id, d.Value.Active)).ToList()
                    : [])).ToList();
        }
    }

    /// <summary><c>POST api/v4/floating/borrow</c>.</summary>
    public Answer Borrow(JsonElement body, Instant now) => BorrowSeat(body, feature: false, now);

    /// <summary><c>POST api/v4/floating/release</c>: frees the device's seat; 200 with an empty body.</summary>
    public Answer Release(JsonElement body, Instant now) => ReleaseSeat(body, feature: false, now);

    /// <summary>
    /// <c>POST api/v4/floating/feature_borrow</c>: a seat of the license feature <c>feature</c>, counted against
    /// the feature's <see cref="EmulatedFeature.FloatingUsers"/> and bounded by its
    /// <see cref="EmulatedFeature.MaxBorrowTime"/>. It does not check <see cref="EmulatedLicense.CanBorrow"/>,
    /// nor whether the device holds a seat of the license.
    /// </summary>
    public Answer FeatureBorrow(JsonElement body, Instant now) => BorrowSeat(body, feature: true, now);

    /// <summary>
    /// <c>POST api/v4/floating/feature_release</c>: frees the device's seat of the feature; 200 with an empty
    /// body, or <c>floating_feature_device_not_in_use</c> when the device holds none.
    /// </summary>
    public Answer FeatureRelease(JsonElement body, Instant now) => ReleaseSeat(body, feature: true, now);

    private int SeatsInUse((long License, string? Feature) pool, Instant now)
    {
        lock (_gate)
        {
            return _seats.TryGetValue(pool, out SeatPool? seats) ? seats.InUse(now) : 0;
        }
    }

    private List<BorrowState> Borrows((long License, string? Feature) pool, Instant now)
        => _seats.TryGetValue(pool, out SeatPool? seats)
            ? seats.Held(now).Select(seat => new BorrowState(seat.HardwareId, _devices[pool.License][seat.HardwareId].Id, FormatInstant(seat.Until))).ToList()
            : [];

    internal static string FormatInstant(Instant instant) => instant.ToString("uuuu'-'MM'-'dd'T'HH':'mm':'ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A borrow of the license's seat, or of a feature's seat when <paramref name="feature"/> is true.</summary>
    private Answer BorrowSeat(JsonElement body, bool feature, Instant now)
    {
        lock (_gate)
        {
            if (!TryFind(body, borrowing: true, feature, now, out Found found, out Answer error))
            {
                return error;
            }

            (EmulatedLicense license, string hardwareId, EmulatedFeature? borrowedFeature) = found;
            (Duration maxBorrowTime, int floatingUsers) = borrowedFeature is null
                ? (license.MaxBorrowTime, license.FloatingUsers)
                : (borrowedFeature.MaxBorrowTime, borrowedFeature.FloatingUsers);
            if (!TryReadBorrowedUntil(body.GetProperty("borrowed_until"), maxBorrowTime, now, out Instant until))
            {
                return Answer.BadRequest("borrow_until_not_valid", "Borrow until field is not valid");
            }

            (long, string?) pool = (license.Id, borrowedFeature?.Code);
            if (!_seats.TryGetValue(pool, out SeatPool? seats))
            {
                seats = new SeatPool();
                _seats[pool] = seats;
            }

            if (!seats.Holds(hardwareId, now) && seats.InUse(now) >= floatingUsers)
            {
                return Answer.BadRequest("floating_not_available", "No available slots for floating license");
            }

            Device device = Activate(license, hardwareId);
            seats.Take(hardwareId, until);
            return new Answer(200, Answer.Json(writer => writer
                .String("borrowed_until", FormatInstant(until))
                .Number("max_borrow_time", maxBorrowTime.TotalHours)
                .Number("device_id", device.Id)
                .Number("license_id", license.Id)
                .Object("company", company => company.Number("id", _seed.CompanyId))));
        }
    }

    /// <summary>A release of the license's seat, or of a feature's seat when <paramref name="feature"/> is true.</summary>
    private Answer ReleaseSeat(JsonElement body, bool feature, Instant now)
    {
        lock (_gate)
        {
            if (!TryFind(body, borrowing: false, feature, now, out Found found, out Answer error))
            {
                return error;
            }

            if (!_seats.TryGetValue((found.License.Id, found.Feature?.Code), out SeatPool? seats)
                || !seats.Release(found.HardwareId, now))
            {
                return feature
                    ? Answer.BadRequest("floating_feature_device_not_in_use", "Floating feature device is not in use")
                    : Answer.BadRequest("device_not_found", "An active device matching the hardware_id not found");
            }

            return new Answer(200, []);
        }
    }

    /// <summary>
    /// Finds the license, hardware id and (for a feature endpoint) feature a request names, after every check
    /// the documentation lists before the seat itself, or gives the error answer. A borrow needs
    /// <c>borrowed_until</c> and takes every kind of credential; a release takes a license key or a username
    /// alone. A feature endpoint needs <c>feature</c>, a floating feature assigned to the license.
    /// </summary>
    private bool TryFind(JsonElement body, bool borrowing, bool feature, Instant now, out Found found, out Answer error)
    {
        found = default;
        error = Check(body, borrowing, feature, now, ref found);
        return error.Status == 0;
    }

    private Answer Check(JsonElement body, bool borrowing, bool feature, Instant now, ref Found found)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Answer.BadRequest(
                "missing_parameters",
                feature ? "Some parameters are missing in the request: product, hardware_id, feature." : "Some parameters are missing in the request: product, hardware_id.");
        }

        var missing = new List<string>();
        string? product = Text(body, "product");
        string? hardwareId = Text(body, "hardware_id");
        string? featureCode = feature ? Text(body, "feature") : null;
        if (product is null)
        {
            missing.Add("product");
        }

        if (hardwareId is null)
        {
            missing.Add("hardware_id");
        }

        if (feature && featureCode is null)
        {
            missing.Add("feature");
        }

        if (borrowing && !body.TryGetProperty("borrowed_until", out _))
        {
            missing.Add("borrowed_until");
        }

        string? licenseKey = Text(body, "license_key");
        string? username = Text(body, "username");
        string? password = Text(body, "password");
        string? idToken = Text(body, "id_token");
        string? code = Text(body, "code");
        string? account = Text(body, "customer_account_code");
        bool identityProvider = borrowing && (idToken is not null || code is not null);
        if (licenseKey is null && username is null && !identityProvider)
        {
            missing.Add("license_key");
        }
        else if (licenseKey is null && username is not null && borrowing && password is null)
        {
            missing.Add("password");
        }
        else if (licenseKey is null && username is null && account is null)
        {
            missing.Add("customer_account_code");
        }

        if (missing.Count > 0)
        {
            return Answer.BadRequest("missing_parameters", $"Some parameters are missing in the request: {string.Join(", ", missing)}.");
        }

        string? bundleCode = Text(body, "bundle_code");
        if (!_products.ContainsKey(product!)
            || (bundleCode is not null && (!_products.TryGetValue(bundleCode, out EmulatedProduct? bundle) || !bundle.BundleProducts.Contains(product!))))
        {
            return Answer.BadRequest("unknown_product", "Provided product was not found");
        }

        string licensedProduct = bundleCode ?? product!;
        bool unreadableLicenseId = !TryReadLicenseId(body, out long? licenseId);
        string? user = licenseKey is null ? username ?? SignedInUser(account!, idToken, code) : null;
        EmulatedLicense? license = unreadableLicenseId ? null : _seed.Licenses.FirstOrDefault(candidate =>
            candidate.Product == licensedProduct
            && (licenseId is null || candidate.Id == licenseId)
            && (licenseKey is not null
                ? candidate.LicenseKey == licenseKey
                : candidate.Users.Any(u => u.Username == user && (!borrowing || username is null || u.Password == password))));
        if (license is null)
        {
            return Answer.BadRequest("license_not_found", "License with the provided license user not found");
        }

        if (!license.Active)
        {
            return Answer.BadRequest("license_not_active", "The license is not active");
        }

        if (!license.Enabled)
        {
            return Answer.BadRequest("license_not_enabled", "The license is not enabled");
        }

        if (borrowing && license.ValidityPeriod is Instant validUntil && now >= validUntil)
        {
            return Answer.BadRequest("license_expired", "The license has expired.");
        }

        if (borrowing && !feature && !license.CanBorrow)
        {
            return Answer.BadRequest("license_borrow_not_allowed", "License does not allow borrowing");
        }

        if (_blacklisted.Contains(hardwareId!))
        {
            return Answer.BadRequest("blacklisted", "This device is blacklisted");
        }

        bool known = _devices[license.Id].TryGetValue(hardwareId!, out Device? device);
        bool mayActivate = license.AutoActivate ?? _autoActivateDevices;
        if (device is { Active: false } || (!known && !mayActivate))
        {
            return Answer.BadRequest("device_not_found", "An active device matching the hardware_id not found");
        }

        EmulatedFeature? assigned = null;
        if (feature)
        {
            assigned = license.Features.FirstOrDefault(f => f.Code == featureCode);
            if (assigned is null)
            {
                return Answer.BadRequest("invalid_license_feature_code", $"License feature code: '{featureCode}' is invalid or not assigned to the license.");
            }

            if (!assigned.Floating)
            {
                return Answer.BadRequest("feature_not_floating", "License feature is not floating cloud feature.");
            }
        }

        found = new Found(license, hardwareId!, assigned);
        return default;
    }

    /// <summary>The license user an id token or authorization code of a customer account signs in.</summary>
    private string? SignedInUser(string accountCode, string? idToken, string? code)
    {
        EmulatedCustomerAccount? account = _seed.CustomerAccounts.FirstOrDefault(a => a.Code == accountCode);
        if (account is null)
        {
            return null;
        }

        if (idToken is not null)
        {
            return account.IdTokens.TryGetValue(idToken, out string? user) ? user : null;
        }

        return code is not null && account.AuthorizationCodes.TryGetValue(code, out string? codeUser) ? codeUser : null;
    }

    /// <summary>
    /// Reads <c>borrowed_until</c>: null means the maximum borrow time (the license's or the feature's) from
    /// now; a time (with <c>Z</c>, an offset, or none for UTC) must be neither in the past nor beyond that maximum.
    /// </summary>
    private static bool TryReadBorrowedUntil(JsonElement value, Duration maxBorrowTime, Instant now, out Instant until)
    {
        Instant latest = now + maxBorrowTime;
        if (value.ValueKind == JsonValueKind.Null)
        {
            until = latest;
            return true;
        }

        until = default;
        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParseExact(
                value.GetString(),
                BorrowedUntilFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out DateTimeOffset parsed))
        {
            return false;
        }

        until = Instant.FromDateTimeOffset(parsed);
        return until >= now && until <= latest;
    }

    private static string? Text(JsonElement body, string name)
        => body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    /// <summary>
    /// Reads <c>license_id</c>: absent or null for any license, else a number or a string of digits (one of the
    /// API's own schemas types it as a string). False for anything else, which then matches no license.
    /// </summary>
    private static bool TryReadLicenseId(JsonElement body, out long? licenseId)
    {
        licenseId = null;
        if (!body.TryGetProperty("license_id", out JsonElement id) || id.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long number))
        {
            licenseId = number;
            return true;
        }

        if (id.ValueKind == JsonValueKind.String && long.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
        {
            licenseId = parsed;
            return true;
        }

        return false;
    }

    /// <summary>The license's device with <paramref name="hardwareId"/>, activated now if it is new (the caller has checked it may be).</summary>
    private Device Activate(EmulatedLicense license, string hardwareId)
    {
        Dictionary<string, Device> devices = _devices[license.Id];
        if (!devices.TryGetValue(hardwareId, out Device? device))
        {
            device = new Device(_nextDeviceId++, Active: true);
            devices[hardwareId] = device;
        }

        return device;
    }

    /// <summary>What a request names: its license, hardware id, and for a feature endpoint the feature.</summary>
    private readonly record struct Found(EmulatedLicense License, string HardwareId, EmulatedFeature? Feature);

    /// <summary>A device activated on a license (or deactivated, when seeded so): its id and whether it is active.</summary>
    private sealed record Device(long Id, bool Active);
}
