namespace LicenseClient.Http;

/// <summary>An answer that arrived whole: its status, media type and body bytes.</summary>
internal sealed class LicenseAnswer
{
    public LicenseAnswer(int status, string? mediaType, byte[] body)
    {
        Status = status;
        MediaType = mediaType;
        Body = body;
    }

    public int Status { get; }

    public string? MediaType { get; }

    public byte[] Body { get; }

    public bool IsSuccess => Status is >= 200 and <= 299;
}
