using System.Buffers;
using System.Text.Json;

namespace LicenseClient.Testing;

/// <summary>An answer the emulator sends: a status and a compact JSON body (empty for a bare 200).</summary>
internal readonly record struct Answer(int Status, byte[] Body)
{
    /// <summary>The License API's error form: <c>{"status":…,"code":…,"message":…}</c>.</summary>
    public static Answer Error(int status, string code, string message)
        => new(status, Json(writer =>
        {
            writer.WriteNumber("status", status);
            writer.WriteString("code", code);
            writer.WriteString("message", message);
        }));

    /// <summary>A 400 error, the status of every documented borrow error.</summary>
    public static Answer BadRequest(string code, string message) => Error(400, code, message);

    /// <summary>A JSON object written by <paramref name="write"/>, compact, as the License API sends it.</summary>
    public static byte[] Json(System.Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
