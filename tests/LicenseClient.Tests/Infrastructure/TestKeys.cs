using System;
using System.Security.Cryptography;
using System.Text;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>The key pair the test servers sign their answers with, as the License API does with its own.</summary>
public static class TestKeys
{
    private static readonly RSA Key = RSA.Create(2048);

    /// <summary>The public key, for <see cref="LicenseClientOptions.ServerPublicKey"/>.</summary>
    public static string PublicKeyPem { get; } = Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The <c>LicenseSignature</c> header value for <paramref name="body"/>.</summary>
    public static string Sign(byte[] body)
    {
        lock (Key)
        {
            return Convert.ToBase64String(Key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }

    /// <summary>The <c>LicenseSignature</c> header value for the UTF-8 bytes of <paramref name="body"/>.</summary>
    public static string Sign(string body) => Sign(Encoding.UTF8.GetBytes(body));
}
