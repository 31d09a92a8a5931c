using System;
using System.Buffers;
using System.Text.Json;
using NodaTime;

namespace LicenseClient.Serialization;

/// <summary>
/// Writes the floating endpoints' request bodies and reads a borrow answer with <see cref="Utf8JsonWriter"/> and
/// <see cref="Utf8JsonReader"/>, field by field: no serializer metadata to build on first use, nothing copied twice.
/// </summary>
/// <remarks>
/// A body is written compactly, its fields in a fixed order (<c>product</c>, <c>hardware_id</c>, on a borrow
/// <c>borrowed_until</c>, <c>feature</c>, the credential's fields, <c>license_id</c>, <c>bundle_code</c>,
/// <c>sdk_ver</c>), each field that has no value left out but <c>borrowed_until</c>, whose JSON <c>null</c> asks for
/// the maximum borrow time; text is escaped as <see cref="System.Text.Encodings.Web.JavaScriptEncoder.Default"/>
/// does. An answer is read strictly: one JSON object and nothing after it, no comments, names matched exactly,
/// numbers as numbers, a field of the wrong kind a <see cref="JsonException"/>; unknown fields are skipped, a field
/// given twice keeps its last value, and JSON <c>null</c> is the same as absent.
/// </remarks>
internal static class FloatingJson
{
    /// <summary>The body's bytes, for the endpoint's <c>borrowed_until</c> when <paramref name="borrow"/>.</summary>
    public static byte[] Write(FloatingRequestBody body, bool borrow, Instant? borrowedUntil)
    {
        BodyBuffer buffer = BodyBuffer.ForThisThread();
        try
        {
            Utf8JsonWriter writer = buffer.Writer;
            writer.WriteStartObject();
            writer.WriteString("product"u8, body.Product);
            writer.WriteString("hardware_id"u8, body.HardwareId);
            if (borrow)
            {
                writer.WritePropertyName("borrowed_until"u8);
                if (borrowedUntil is Instant until)
                {
                    InstantJsonConverter.Write(writer, until);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            WriteIfSet(writer, "feature"u8, body.Feature);
            WriteIfSet(writer, "license_key"u8, body.LicenseKey);
            WriteIfSet(writer, "username"u8, body.Username);
            WriteIfSet(writer, "password"u8, body.Password);
            WriteIfSet(writer, "id_token"u8, body.IdToken);
            WriteIfSet(writer, "code"u8, body.Code);
            WriteIfSet(writer, "customer_account_code"u8, body.CustomerAccountCode);
            WriteIfSet(writer, "redirect_uri"u8, body.RedirectUri);
            if (body.LicenseId is long licenseId)
            {
                writer.WriteNumber("license_id"u8, licenseId);
            }

            WriteIfSet(writer, "bundle_code"u8, body.BundleCode);
            WriteIfSet(writer, "sdk_ver"u8, body.SdkVersion);
            writer.WriteEndObject();
            writer.Flush();
            return buffer.Written.ToArray();
        }
        finally
        {
            buffer.Clear();
        }
    }

    /// <summary>
    /// A borrow or feature borrow answer's fields, each <see langword="null"/> when absent or JSON <c>null</c>; the
    /// whole answer <see langword="null"/> when it is JSON <c>null</c>.
    /// </summary>
    /// <exception cref="JsonException">The body is not one JSON object, or a field is of the wrong kind or out of range.</exception>
    public static BorrowResponseBody? ReadBorrow(ReadOnlySpan<byte> json)
    {
        try
        {
            return ReadBorrowBody(json);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // The reader's own complaints about a token's value, such as text that is not valid UTF-8.
            throw new JsonException(ex.Message, ex);
        }
    }

    private static BorrowResponseBody? ReadBorrowBody(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        if (!reader.Read())
        {
            throw new JsonException("The body holds no JSON value.");
        }

        BorrowResponseBody? body = null;
        if (reader.TokenType != JsonTokenType.Null)
        {
            Expect(ref reader, JsonTokenType.StartObject, "a borrow answer");
            body = new BorrowResponseBody();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("borrowed_until"u8))
                {
                    body.BorrowedUntil = ReadValue(ref reader) ? InstantJsonConverter.Read(ref reader) : null;
                }
                else if (reader.ValueTextEquals("max_borrow_time"u8))
                {
                    body.MaxBorrowTime = ReadValue(ref reader) ? HoursDurationJsonConverter.Read(ref reader) : null;
                }
                else if (reader.ValueTextEquals("device_id"u8))
                {
                    body.DeviceId = ReadValue(ref reader) ? ReadInt64(ref reader) : null;
                }
                else if (reader.ValueTextEquals("license_id"u8))
                {
                    body.LicenseId = ReadValue(ref reader) ? ReadInt64(ref reader) : null;
                }
                else if (reader.ValueTextEquals("company"u8))
                {
                    body.Company = ReadValue(ref reader) ? ReadCompany(ref reader) : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        // Anything but white space after the value is refused by the reader itself.
        if (reader.Read())
        {
            throw new JsonException("The body holds more than one JSON value.");
        }

        return body;
    }

    private static void WriteIfSet(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Moves to a field's value: <see langword="false"/> when it is JSON <c>null</c>.</summary>
    private static bool ReadValue(ref Utf8JsonReader reader)
        => reader.Read() && reader.TokenType != JsonTokenType.Null;

    private static long ReadInt64(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "a whole number");
        return reader.TryGetInt64(out long value) ? value : throw new JsonException("The number is not a whole number within range.");
    }

    /// <summary>The <c>company</c> object: its <c>id</c>, other fields skipped.</summary>
    private static CompanyBody ReadCompany(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "the company object");
        var company = new CompanyBody();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                company.Id = ReadValue(ref reader) ? ReadInt64(ref reader) : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return company;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"Expected {what}, found {reader.TokenType}.");
        }
    }

    /// <summary>
    /// A thread's buffer and writer, reused from body to body (a body is written at once, on one thread) and cleared
    /// after each: what it held (a password, say) does not stay in memory.
    /// </summary>
    private sealed class BodyBuffer : IBufferWriter<byte>
    {
        [ThreadStatic]
        private static BodyBuffer? _forThisThread;

        private byte[] _bytes = new byte[512];
        private int _written;

        private BodyBuffer() => Writer = new Utf8JsonWriter(this);

        public Utf8JsonWriter Writer { get; }

        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _written);

        public static BodyBuffer ForThisThread() => _forThisThread ??= new BodyBuffer();

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _bytes.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _bytes.AsSpan(_written);
        }

        /// <summary>Forgets and zeroes what was written, and readies the writer for the next body.</summary>
        public void Clear()
        {
            _bytes.AsSpan(0, _written).Clear();
            _written = 0;
            Writer.Reset(this);
        }

        private void Ensure(int sizeHint)
        {
            int needed = _written + Math.Max(sizeHint, 1);
            if (needed > _bytes.Length)
            {
                byte[] larger = new byte[Math.Max(needed, _bytes.Length * 2)];
                _bytes.AsSpan(0, _written).CopyTo(larger);
                _bytes.AsSpan(0, _written).Clear();
                _bytes = larger;
            }
        }
    }
}
