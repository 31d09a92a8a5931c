using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace LicenseClient.Testing;

/// <summary>
/// What the emulator knows at start: products, licenses, blacklisted hardware ids and customer accounts.
/// Build it in code, or read it from a JSON seed file with <see cref="Load"/> or <see cref="Parse"/>.
/// </summary>
/// <example>
/// A seed file:
/// <code>
/// {
///   "products": [ { "code": "demo" }, { "code": "suite", "bundle_products": [ "demo" ] } ],
///   "licenses": [
///     {
///       "id": 1001, "product": "demo", "license_key": "DEMO-KEY", "max_borrow_time": 72, "floating_users": 2,
///       "devices": [ { "hardware_id": "build-agent-1" }, { "hardware_id": "old-laptop", "active": false } ],
///       "features": [ { "code": "export", "floating_users": 1, "max_borrow_time": 8 }, { "code": "reports", "floating": false } ]
///     },
///     { "id": 1002, "product": "demo", "users": [ { "username": "ada@example.com", "password": "secret" } ], "auto_activate": true },
///     { "id": 1003, "product": "suite", "license_key": "SUITE-KEY", "validity_period": "2030-01-01T00:00:00Z" }
///   ],
///   "blacklisted_hardware_ids": [ "stolen-laptop" ],
///   "customer_accounts": [ { "code": "acme", "id_tokens": { "token-1": "ada@example.com" } } ]
/// }
/// </code>
/// </example>
public sealed class EmulatorSeed
{
    /// <summary>The products licenses can be borrowed for.</summary>
    public IList<EmulatedProduct> Products { get; set; } = [];

    /// <summary>The licenses, key-based or user-based.</summary>
    public IList<EmulatedLicense> Licenses { get; set; } = [];

    /// <summary>Hardware ids that may never borrow (<c>blacklisted</c>).</summary>
    public IList<string> BlacklistedHardwareIds { get; set; } = [];

    /// <summary>Customer accounts whose users sign in with an identity provider (id tokens or authorization codes).</summary>
    public IList<EmulatedCustomerAccount> CustomerAccounts { get; set; } = [];

    /// <summary>
    /// The id of the company the licenses belong to, sent in borrow answers as <c>company.id</c>. Defaults to
    /// 1700000000000001: real ids are above 2^31, so code that keeps them in 32 bits fails here as in production.
    /// </summary>
    public long CompanyId { get; set; } = 1_700_000_000_000_001;

    /// <summary>
    /// A small demo: product <c>demo</c> with a key-based license <c>DEMO-1111-2222-3333</c> (2 seats, 72 hours;
    /// a floating feature <c>export</c> with 1 seat and 8 hours, and a feature <c>reports</c> that is not floating)
    /// and a user-based license for <c>demo@example.com</c> / <c>demo-password</c> (1 seat, 24 hours). Both
    /// licenses activate a device on its first borrow (<see cref="EmulatedLicense.AutoActivate"/>), so a demo
    /// runs on any machine.
    /// </summary>
    public static EmulatorSeed Demo() => new()
    {
        Products = [new EmulatedProduct { Code = "demo" }],
        Licenses =
        [
            new EmulatedLicense
            {
                Id = 1001,
                Product = "demo",
                LicenseKey = "DEMO-1111-2222-3333",
                MaxBorrowTime = Duration.FromHours(72),
                FloatingUsers = 2,
                AutoActivate = true,
                Features =
                [
                    new EmulatedFeature { Code = "export", FloatingUsers = 1, MaxBorrowTime = Duration.FromHours(8) },
                    new EmulatedFeature { Code = "reports", Floating = false },
                ],
            },
            new EmulatedLicense
            {
                Id = 1002,
                Product = "demo",
                Users = [new EmulatedLicenseUser { Username = "demo@example.com", Password = "demo-password" }],
                MaxBorrowTime = Duration.FromHours(24),
                FloatingUsers = 1,
                AutoActivate = true,
            },
        ],
    };

    /// <summary>Reads a seed from JSON text (snake_case keys; <c>max_borrow_time</c> in hours).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a valid seed.</exception>
    public static EmulatorSeed Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, SeedJsonContext.Default.EmulatorSeed)
                ?? throw new FormatException("The seed is JSON null; expected an object.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The seed is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a seed from a JSON file.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or blank.</exception>
    /// <exception cref="FormatException">The file is not a valid seed.</exception>
    public static EmulatorSeed Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path));
    }
}

/// <summary>A product licenses are issued for.</summary>
public sealed class EmulatedProduct
{
    /// <summary>The product code that requests send as <c>product</c> (or, for a bundle, as <c>bundle_code</c>).</summary>
    public required string Code { get; set; }

    /// <summary>
    /// For a product bundle: the codes of the products it groups. A request for one of them with
    /// <c>bundle_code</c> set to this product's code uses the bundle's licenses; a <c>bundle_code</c> that names no
    /// bundle, or a bundle without the product, is <c>unknown_product</c>. Empty (the default) for a plain product.
    /// </summary>
    public IList<string> BundleProducts { get; set; } = [];
}

/// <summary>A floating license.</summary>
public sealed class EmulatedLicense
{
    /// <summary>The license id, unique in the seed.</summary>
    public required long Id { get; set; }

    /// <summary>The code of the product it licenses; for a bundle's license, the bundle's code.</summary>
    public required string Product { get; set; }

    /// <summary>For a key-based license: its key. Leave null for a user-based license.</summary>
    public string? LicenseKey { get; set; }

    /// <summary>For a user-based license: its license users.</summary>
    public IList<EmulatedLicenseUser> Users { get; set; } = [];

    /// <summary>The longest a borrow may last. Defaults to 24 hours. In a seed file: <c>max_borrow_time</c>, in hours.</summary>
    [JsonConverter(typeof(HoursJsonConverter))]
    public Duration MaxBorrowTime { get; set; } = Duration.FromHours(24);

    /// <summary>How many devices may hold a seat at once. Defaults to 1.</summary>
    public int FloatingUsers { get; set; } = 1;

    /// <summary>Whether the license is enabled (else <c>license_not_enabled</c>). Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether the license is active (else <c>license_not_active</c>). Defaults to true.</summary>
    public bool Active { get; set; } = true;

    /// <summary>Whether the license allows borrowing (else <c>license_borrow_not_allowed</c>). Defaults to true.</summary>
    public bool CanBorrow { get; set; } = true;

    /// <summary>
    /// The end of the license's validity: from then on a borrow or feature borrow gets <c>license_expired</c>.
    /// Null (the default) for a license that does not expire. In a seed file: <c>validity_period</c>, an ISO 8601
    /// instant such as <c>2030-01-01T00:00:00Z</c>.
    /// </summary>
    [JsonConverter(typeof(InstantJsonConverter))]
    public Instant? ValidityPeriod { get; set; }

    /// <summary>
    /// Devices activated on the license: as in the License API, only these may borrow. A device listed as
    /// inactive gets <c>device_not_found</c>; so does any device not listed, unless auto-activation is on.
    /// </summary>
    public IList<EmulatedDevice> Devices { get; set; } = [];

    /// <summary>
    /// Whether a hardware id not in <see cref="Devices"/> is activated on its first borrow. Null (the default)
    /// follows <see cref="EmulatorOptions.AutoActivateDevices"/>.
    /// </summary>
    public bool? AutoActivate { get; set; }

    /// <summary>
    /// The features assigned to the license, for <c>feature_borrow</c> and <c>feature_release</c>. A feature
    /// code not listed here is <c>invalid_license_feature_code</c>. Defaults to none.
    /// </summary>
    public IList<EmulatedFeature> Features { get; set; } = [];
}

/// <summary>A feature assigned to a license; a floating one has seats of its own, borrowed apart from the license's.</summary>
public sealed class EmulatedFeature
{
    /// <summary>The feature code that requests send as <c>feature</c>, unique in its license.</summary>
    public required string Code { get; set; }

    /// <summary>Whether the feature is a floating cloud feature (else <c>feature_not_floating</c>). Defaults to true.</summary>
    public bool Floating { get; set; } = true;

    /// <summary>How many devices may hold a seat of the feature at once. Defaults to 1.</summary>
    public int FloatingUsers { get; set; } = 1;

    /// <summary>The longest a feature borrow may last. Defaults to 24 hours. In a seed file: <c>max_borrow_time</c>, in hours.</summary>
    [JsonConverter(typeof(HoursJsonConverter))]
    public Duration MaxBorrowTime { get; set; } = Duration.FromHours(24);
}

/// <summary>A <see cref="Duration"/> as a number of hours.</summary>
internal sealed class HoursJsonConverter : JsonConverter<Duration>
{
    public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => Duration.FromHours(reader.GetDouble());

    public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.TotalHours);
}

/// <summary>
/// An <see cref="Instant"/> as an ISO 8601 string with an offset, such as <c>2030-01-01T00:00:00Z</c>. A time
/// without an offset is refused, so a seed means the same instant whatever the machine's time zone.
/// </summary>
internal sealed class InstantJsonConverter : JsonConverter<Instant?>
{
    public override Instant? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ParseResult<OffsetDateTime> parsed = OffsetDateTimePattern.ExtendedIso.Parse(reader.GetString() ?? string.Empty);
        return parsed.Success
            ? parsed.Value.ToInstant()
            : throw new JsonException("A time in the seed needs a date, a time and an offset, such as 2030-01-01T00:00:00Z.");
    }

    public override void Write(Utf8JsonWriter writer, Instant? value, JsonSerializerOptions options)
    {
        if (value is Instant instant)
        {
            writer.WriteStringValue(instant.ToDateTimeOffset());
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>A license user of a user-based license.</summary>
public sealed class EmulatedLicenseUser
{
    /// <summary>The user's name (usually an email address).</summary>
    public required string Username { get; set; }

    /// <summary>The user's password.</summary>
    public required string Password { get; set; }
}

/// <summary>A device activated on a license.</summary>
public sealed class EmulatedDevice
{
    /// <summary>The device's hardware id.</summary>
    public required string HardwareId { get; set; }

    /// <summary>Whether the activation is active. Defaults to true.</summary>
    public bool Active { get; set; } = true;
}

/// <summary>A customer account whose users sign in through an identity provider.</summary>
public sealed class EmulatedCustomerAccount
{
    /// <summary>The code requests send as <c>customer_account_code</c>.</summary>
    public required string Code { get; set; }

    /// <summary>Id tokens (access token values) this account accepts, each mapped to the license user it signs in.</summary>
    public IDictionary<string, string> IdTokens { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Authorization codes this account accepts, each mapped to the license user it signs in.</summary>
    public IDictionary<string, string> AuthorizationCodes { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>The seed file's JSON contract.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(EmulatorSeed))]
internal sealed partial class SeedJsonContext : JsonSerializerContext;
