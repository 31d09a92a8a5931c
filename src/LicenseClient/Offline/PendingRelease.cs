using System;
using System.IO;
using System.Text.Json;
using LicenseClient.Internal;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// A release that could not be sent (the License API was out of reach, or the release timed out), kept in the
/// receipt store's journal so that the next <see cref="FloatingSeat.AcquireAsync"/> or
/// <see cref="FloatingSeat.ReleasePendingAsync"/> sends it.
/// </summary>
/// <remarks>
/// It holds what the release names and nothing secret: the product, feature, hardware id, license id and bundle
/// code. The credential is never written; the release is sent with the credential of the <see cref="SeatRequest"/>
/// that sends it.
/// </remarks>
public sealed class PendingRelease : IEquatable<PendingRelease>
{
    /// <summary>The version of the journal entry's JSON form that this library writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Creates a pending release.</summary>
    /// <param name="product">The product code.</param>
    /// <param name="hardwareId">The hardware id the seat was held for.</param>
    /// <param name="feature">The feature code, for a feature seat; otherwise <see langword="null"/>.</param>
    /// <param name="borrowedUntil">When the seat ends by itself; after it, there is nothing left to release.</param>
    /// <param name="recordedAt">When the release failed.</param>
    /// <exception cref="ArgumentException"><paramref name="product"/>, <paramref name="hardwareId"/> or <paramref name="feature"/> is blank.</exception>
    public PendingRelease(string product, string hardwareId, string? feature, Instant? borrowedUntil, Instant recordedAt)
    {
        Product = Guard.NotBlank(product, nameof(product));
        HardwareId = Guard.NotBlank(hardwareId, nameof(hardwareId));
        Feature = Guard.NullOrNotBlank(feature, nameof(feature));
        BorrowedUntil = borrowedUntil;
        RecordedAt = recordedAt;
    }

    /// <summary>The product code.</summary>
    public string Product { get; }

    /// <summary>The hardware id the seat was held for.</summary>
    public string HardwareId { get; }

    /// <summary>The feature code, for a feature seat; <see langword="null"/> for a license seat.</summary>
    public string? Feature { get; }

    /// <summary>The license id the borrow named, if any.</summary>
    public long? LicenseId { get; init; }

    /// <summary>The bundle code the borrow named, if any.</summary>
    public string? BundleCode { get; init; }

    /// <summary>When the seat ends by itself (<see langword="null"/> when not known). After it there is nothing to release.</summary>
    public Instant? BorrowedUntil { get; }

    /// <summary>When the release failed and was written down.</summary>
    public Instant RecordedAt { get; }

    /// <summary>The journal entry as UTF-8 JSON, versioned (<see cref="CurrentVersion"/>).</summary>
    /// <returns>The JSON bytes.</returns>
    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", CurrentVersion);
            writer.WriteString("product", Product);
            writer.WriteString("hardware_id", HardwareId);
            WriteOptional(writer, "feature", Feature);
            if (LicenseId is long licenseId)
            {
                writer.WriteNumber("license_id", licenseId);
            }

            WriteOptional(writer, "bundle_code", BundleCode);
            WriteOptional(writer, "borrowed_until", BorrowedUntil is Instant until ? InstantJsonConverter.Format(until) : null);
            writer.WriteString("recorded_at", InstantJsonConverter.Format(RecordedAt));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a journal entry written by <see cref="ToUtf8Json"/>.</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <returns>The pending release.</returns>
    /// <exception cref="FormatException">The bytes are not a journal entry of a version this library reads.</exception>
    public static PendingRelease ParseUtf8(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out JsonElement version)
                || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out int number)
                || number is < 1 or > CurrentVersion)
            {
                throw new FormatException("The pending release has no version this library reads.");
            }

            return new PendingRelease(
                RequiredText(root, "product"),
                RequiredText(root, "hardware_id"),
                OptionalText(root, "feature"),
                OptionalText(root, "borrowed_until") is string until ? ParseInstant(until) : null,
                ParseInstant(RequiredText(root, "recorded_at")))
            {
                LicenseId = root.TryGetProperty("license_id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long value) && value > 0
                    ? value
                    : null,
                BundleCode = OptionalText(root, "bundle_code"),
            };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException("The pending release is not valid JSON of the expected shape.", ex);
        }
    }

    /// <inheritdoc/>
    public bool Equals(PendingRelease? other)
        => other is not null
           && string.Equals(Product, other.Product, StringComparison.Ordinal)
           && string.Equals(HardwareId, other.HardwareId, StringComparison.Ordinal)
           && string.Equals(Feature, other.Feature, StringComparison.Ordinal)
           && LicenseId == other.LicenseId
           && string.Equals(BundleCode, other.BundleCode, StringComparison.Ordinal)
           && BorrowedUntil == other.BorrowedUntil
           && RecordedAt == other.RecordedAt;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PendingRelease);

    /// <inheritdoc/>
    public override int GetHashCode()
        => StringComparer.Ordinal.GetHashCode(Product) ^ StringComparer.Ordinal.GetHashCode(HardwareId) ^ RecordedAt.GetHashCode();

    /// <summary>What is pending, for people: product, feature and when it was recorded.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => Feature is null
            ? $"Pending release of {Product} (recorded {InstantJsonConverter.Format(RecordedAt)})"
            : $"Pending release of {Product}, feature {Feature} (recorded {InstantJsonConverter.Format(RecordedAt)})";

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string RequiredText(JsonElement root, string name)
        => OptionalText(root, name) ?? throw new FormatException($"The pending release has no {name}.");

    private static string? OptionalText(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Instant ParseInstant(string text)
        => InstantJsonConverter.TryParse(text, out Instant instant) ? instant : throw new FormatException("The pending release holds a time that cannot be read.");
}
