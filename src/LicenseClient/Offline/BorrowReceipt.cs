using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LicenseClient.Internal;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// What a successful borrow or feature borrow proves, kept so it can be checked again later with no network
/// (see <see cref="BorrowReceiptChecker"/>): the answer body exactly as received and its <c>LicenseSignature</c>,
/// the server's <c>Date</c>, and the request's product, hardware id and feature. It holds no secret: no license
/// key, password, token or code.
/// </summary>
/// <remarks>
/// Only the body is signed. <see cref="Product"/>, <see cref="HardwareId"/>, <see cref="Feature"/> and
/// <see cref="ServerDate"/> are what the request named and the server's header said; they are not covered by
/// the signature. <see cref="ToJson"/> and <see cref="Parse"/> keep it as a small versioned JSON document.
/// </remarks>
public sealed class BorrowReceipt
{
    /// <summary>The version of the JSON document <see cref="ToJson"/> writes, and the newest <see cref="Parse"/> reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary><see cref="CurrentVersion"/> as the JSON number the document writes.</summary>
    private static readonly JsonElement VersionElement = JsonNumber(CurrentVersion);

    private readonly byte[] _body;

    /// <summary>Creates a receipt; the client makes one for every successful borrow and feature borrow.</summary>
    /// <param name="body">The answer body exactly as received (copied).</param>
    /// <param name="signature">The answer's <c>LicenseSignature</c> header, or <see langword="null"/> when it had none (such a receipt never checks valid).</param>
    /// <param name="serverDate">The answer's <c>Date</c> header, when it had a valid one.</param>
    /// <param name="product">The product code the request named.</param>
    /// <param name="hardwareId">The hardware id the request named.</param>
    /// <param name="feature">The feature code a feature borrow named; <see langword="null"/> for a license borrow.</param>
    /// <exception cref="ArgumentException"><paramref name="product"/> or <paramref name="hardwareId"/> is null or blank, or <paramref name="feature"/> is blank.</exception>
    public BorrowReceipt(ReadOnlySpan<byte> body, string? signature, Instant? serverDate, string product, string hardwareId, string? feature = null)
    {
        Product = Guard.NotBlank(product, nameof(product));
        HardwareId = Guard.NotBlank(hardwareId, nameof(hardwareId));
        Feature = Guard.NullOrNotBlank(feature, nameof(feature));
        _body = body.ToArray();
        Signature = signature;
        ServerDate = serverDate;
    }

    /// <summary>The answer body exactly as received: the bytes the signature covers.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>The answer's <c>LicenseSignature</c> header (Base64), or <see langword="null"/> when it had none.</summary>
    public string? Signature { get; }

    /// <summary>The server's <c>Date</c> header when it answered, when it sent a valid one. Not signed.</summary>
    public Instant? ServerDate { get; }

    /// <summary>The product code the request named. Not signed.</summary>
    public string Product { get; }

    /// <summary>The hardware id the request named. Not signed: it does not prove which machine this is.</summary>
    public string HardwareId { get; }

    /// <summary>The feature code of a feature borrow; <see langword="null"/> for a license borrow. Not signed.</summary>
    public string? Feature { get; }

    /// <summary>The receipt as a small JSON document (UTF-8 text), version <see cref="CurrentVersion"/>, body in Base64.</summary>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    /// <summary>Reads a receipt written by <see cref="ToJson"/> (this version or an older one). Unknown fields are ignored.</summary>
    /// <param name="json">The JSON document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="BorrowReceiptFormatException">The text is not a receipt; <see cref="BorrowReceiptFormatException.Status"/> says why.</exception>
    public static BorrowReceipt Parse(string json)
        => ParseUtf8(Encoding.UTF8.GetBytes(Guard.NotNull(json, nameof(json))));

    /// <summary>Shows the product, feature, server date and body length; never the body or signature.</summary>
    public override string ToString()
        => string.Format(
            CultureInfo.InvariantCulture,
            "BorrowReceipt {{ Product = {0}, Feature = {1}, ServerDate = {2}, Body = {3} bytes }}",
            Product,
            Feature ?? "(none)",
            ServerDate?.ToString() ?? "(none)",
            _body.Length);

    /// <summary>A JSON number, as an element that outlives its document.</summary>
    internal static JsonElement JsonNumber(int value)
    {
        using JsonDocument document = JsonDocument.Parse(value.ToString(CultureInfo.InvariantCulture));
        return document.RootElement.Clone();
    }

    internal byte[] ToUtf8Json()
        => JsonSerializer.SerializeToUtf8Bytes(
            new ReceiptDocument
            {
                Version = VersionElement,
                Product = Product,
                HardwareId = HardwareId,
                Feature = Feature,
                ServerDate = ServerDate is Instant date ? InstantJsonConverter.Format(date) : null,
                Signature = Signature,
                Body = _body,
            },
            ReceiptJsonContext.Default.ReceiptDocument);

    /// <summary>Reads a receipt document from UTF-8 bytes.</summary>
    /// <exception cref="BorrowReceiptFormatException">The bytes are not a receipt.</exception>
    internal static BorrowReceipt ParseUtf8(byte[] utf8)
    {
        ReceiptDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8, ReceiptJsonContext.Default.ReceiptDocument);
        }
        catch (JsonException ex)
        {
            throw new BorrowReceiptFormatException(ReceiptLoadStatus.Corrupt, "The receipt is not JSON, or is cut short.", ex);
        }

        if (document is null)
        {
            throw new BorrowReceiptFormatException(ReceiptLoadStatus.Corrupt, "The receipt is a JSON null instead of an object.");
        }

        if (document.Version.ValueKind != JsonValueKind.Number || !document.Version.TryGetInt32(out int version) || version < 1)
        {
            throw new BorrowReceiptFormatException(ReceiptLoadStatus.Invalid, "The receipt has no valid \"version\".");
        }

        if (version > CurrentVersion)
        {
            throw new BorrowReceiptFormatException(
                ReceiptLoadStatus.NewerVersion,
                string.Format(CultureInfo.InvariantCulture, "The receipt is version {0}, newer than this version of LicenseClient reads ({1}).", version, CurrentVersion));
        }

        Instant? serverDate = null;
        if (document.ServerDate is not null)
        {
            serverDate = InstantJsonConverter.TryParse(document.ServerDate, out Instant date)
                ? date
                : throw new BorrowReceiptFormatException(ReceiptLoadStatus.Invalid, "The receipt's \"server_date\" is not an ISO 8601 time.");
        }

        if (document.Body is null || string.IsNullOrWhiteSpace(document.Product) || string.IsNullOrWhiteSpace(document.HardwareId)
            || (document.Feature is not null && string.IsNullOrWhiteSpace(document.Feature)))
        {
            throw new BorrowReceiptFormatException(ReceiptLoadStatus.Invalid, "The receipt lacks its \"body\", \"product\" or \"hardware_id\", or has a blank one.");
        }

        return new BorrowReceipt(document.Body, document.Signature, serverDate, document.Product!, document.HardwareId!, document.Feature);
    }
}
