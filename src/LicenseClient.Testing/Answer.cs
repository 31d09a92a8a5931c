using System;
using System.Globalization;
using System.Text;

namespace LicenseClient.Testing;

/// <summary>An answer the emulator sends: a status and a compact JSON body (empty for a bare 200).</summary>
internal readonly record struct Answer(int Status, byte[] Body)
{
    /// <summary>The License API's error form: <c>{"status":…,"code":…,"message":…}</c>.</summary>
    public static Answer Error(int status, string code, string message)
        => new(status, Json(writer => writer.Number("status", status).String("code", code).String("message", message)));

    /// <summary>A 400 error, the status of every documented borrow error.</summary>
    public static Answer BadRequest(string code, string message) => Error(400, code, message);

    /// <summary>
    /// A JSON object written by <paramref name="write"/>, byte for byte as JavaScript's <c>JSON.stringify</c>
    /// writes it: compact, with only <c>"</c>, <c>\</c>, control characters and lone surrogates escaped. So a
    /// signature over these bytes also verifies over <c>JSON.stringify(JSON.parse(body))</c>, as the official
    /// Node SDK checks it, whatever text the body holds (non-ASCII letters, <c>+</c>, <c>&lt;</c>, <c>'</c>).
    /// </summary>
    public static byte[] Json(Action<JsonText> write)
    {
        var text = new JsonText();
        write(text);
        return text.ToUtf8();
    }
}

/// <summary>Writes the members of one JSON object the way <c>JSON.stringify</c> does.</summary>
internal sealed class JsonText
{
    private readonly StringBuilder _text = new("{");
    private bool _first = true;

    /// <summary>A string member.</summary>
    public JsonText String(string name, string value)
    {
        Name(name);
        Quote(value);
        return this;
    }

    /// <summary>An integer member.</summary>
    public JsonText Number(string name, long value)
    {
        Name(name);
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A number member: an integral value without a fraction (<c>72</c>), any other as its shortest round trip form.</summary>
    public JsonText Number(string name, double value)
    {
        Name(name);
        _text.Append(Math.Abs(value) < 1e15 && value == Math.Floor(value)
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>An object member whose members <paramref name="write"/> writes.</summary>
    public JsonText Object(string name, Action<JsonText> write)
    {
        Name(name);
        var inner = new JsonText();
        write(inner);
        _text.Append(inner._text).Append('}');
        return this;
    }

    /// <summary>The object's UTF-8 bytes.</summary>
    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(_text.ToString() + "}");

    private void Name(string name)
    {
        if (!_first)
        {
            _text.Append(',');
        }

        _first = false;
        Quote(name);
        _text.Append(':');
    }

    private void Quote(string value)
    {
        _text.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' || IsLoneSurrogate(value, i) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escape is null)
            {
                _text.Append(c);
            }
            else
            {
                _text.Append(escape);
            }
        }

        _text.Append('"');
    }

    /// <summary>Whether the character at <paramref name="i"/> is a surrogate without its pair, which <c>JSON.stringify</c> escapes.</summary>
    private static bool IsLoneSurrogate(string value, int i)
    {
        char c = value[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]);
        }

        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
    }
}
