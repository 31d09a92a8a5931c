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

    private readonly object _gate = new();
    private readonly EmulatorSeed _seed;
    private readonly HashSet<string> _products;
    private readonly HashSet<string> _blacklisted;

    /// <summary>
    /// Seats by license id and feature code (null for the license's own seats), then hardware id: until when
    /// each device holds its seat.
    /// </summary>
    private readonly Dictionary<(long License, string? Feature), Dictionary<string, Instant>> _seats = [];

    /// <summary>Device ids by license id and hardware id, stable for the emulator's life.</summary>
    private readonly Dictionary<(long License, string HardwareId), long> _deviceIds = [];
    private long _nextDeviceId = 5_000_001;

    public FloatingLicenses(EmulatorSeed seed)
    {
        _seed = seed;
        _products = new HashSet<string>(seed.Products.Select(p => p.Code), StringComparer.Ordinal);
        _blacklisted = new HashSet<string>(seed.BlacklistedHardwareIds, StringComparer.Ordinal);
    }

    /// <summary>How many devices hold a seat of license <paramref name="licenseId"/> at <paramref name="now"/>.</summary>
    public int SeatsInUse(long licenseId, Instant now) => SeatsInUse((licenseId, null), now);

    /// <summary>How many devices hold a seat of feature <paramref name="feature"/> of license <paramref name="licenseId"/> at <paramref name="now"/>.</summary>
    public int FeatureSeatsInUse(long licenseId, string feature, Instant now) => SeatsInUse((licenseId, feature), now);

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
            return _seats.TryGetValue(pool, out Dictionary<string, Instant>? seats) ? seats.Values.Count(until => until > now) : 0;
        }
    }

    /// <summary>A borrow of the license's seat, or of a feature's seat when <paramref name="feature"/> is true.</summary>
    private Answer BorrowSeat(JsonElement body, bool feature, Instant now)
    {
        if (!TryFind(body, borrowing: true, feature, out Found found, out Answer error))
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

        lock (_gate)
        {
            (long, string?) pool = (license.Id, borrowedFeature?.Code);
            if (!_seats.TryGetValue(pool, out Dictionary<string, Instant>? seats))
            {
                seats = new Dictionary<string, Instant>(StringComparer.Ordinal);
                _seats[pool] = seats;
            }

            bool holdsSeat = seats.TryGetValue(hardwareId, out Instant held) && held > now;
            if (!holdsSeat && seats.Values.Count(seatUntil => seatUntil > now) >= floatingUsers)
            {
                return Answer.BadRequest("floating_not_available", "No available slots for floating license");
            }

            seats[hardwareId] = until;
            long deviceId = DeviceId(license.Id, hardwareId);
            return new Answer(200, Answer.Json(writer =>
            {
                writer.WriteString("borrowed_until", until.ToString("uuuu'-'MM'-'dd'T'HH':'mm':'ss.fff'Z'", CultureInfo.InvariantCulture));
                writer.WriteNumber("max_borrow_time", maxBorrowTime.TotalHours);
                writer.WriteNumber("device_id", deviceId);
                writer.WriteNumber("license_id", license.Id);
            }));
        }
    }

    /// <summary>A release of the license's seat, or of a feature's seat when <paramref name="feature"/> is true.</summary>
    private Answer ReleaseSeat(JsonElement body, bool feature, Instant now)
    {
        if (!TryFind(body, borrowing: false, feature, out Found found, out Answer error))
        {
            return error;
        }

        lock (_gate)
        {
            if (!_seats.TryGetValue((found.License.Id, found.Feature?.Code), out Dictionary<string, Instant>? seats)
                || !seats.TryGetValue(found.HardwareId, out Instant until)
                || until <= now)
            {
                return feature
                    ? Answer.BadRequest("floating_feature_device_not_in_use", "Floating feature device is not in use")
                    : Answer.BadRequest("device_not_found", "An active device matching the hardware_id not found");
            }

            seats.Remove(found.HardwareId);
            return new Answer(200, []);
        }
    }

    /// <summary>
    /// Finds the license, hardware id and (for a feature endpoint) feature a request names, after every check
    /// the documentation lists before the seat itself, or gives the error answer. A borrow needs
    /// <c>borrowed_until</c> and takes every kind of credential; a release takes a license key or a username
    /// alone. A feature endpoint needs <c>feature</c>, a floating feature assigned to the license.
    /// </summary>
    private bool TryFind(JsonElement body, bool borrowing, bool feature, out Found found, out Answer error)
    {
        found = default;
        error = Check(body, borrowing, feature, ref found);
        return error.Status == 0;
    }

    private Answer Check(JsonElement body, bool borrowing, bool feature, ref Found found)
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

        if (!_products.Contains(product!))
        {
            return Answer.BadRequest("unknown_product", "Provided product was not found");
        }

        long? licenseId = body.TryGetProperty("license_id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long value) ? value : null;
        string? user = licenseKey is null ? username ?? SignedInUser(account!, idToken, code) : null;
        EmulatedLicense? license = _seed.Licenses.FirstOrDefault(candidate =>
            candidate.Product == product
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

        if (borrowing && !feature && !license.CanBorrow)
        {
            return Answer.BadRequest("license_borrow_not_allowed", "License does not allow borrowing");
        }

        if (_blacklisted.Contains(hardwareId!))
        {
            return Answer.BadRequest("blacklisted", "This device is blacklisted");
        }

        EmulatedDevice? device = license.Devices.FirstOrDefault(d => d.HardwareId == hardwareId);
        if (device is { Active: false } || (device is null && !license.AutoActivate))
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

    private long DeviceId(long licenseId, string hardwareId)
    {
        if (!_deviceIds.TryGetValue((licenseId, hardwareId), out long deviceId))
        {
            deviceId = _nextDeviceId++;
            _deviceIds[(licenseId, hardwareId)] = deviceId;
        }

        return deviceId;
    }

    /// <summary>What a request names: its license, hardware id, and for a feature endpoint the feature.</summary>
    private readonly record struct Found(EmulatedLicense License, string HardwareId, EmulatedFeature? Feature);
}
