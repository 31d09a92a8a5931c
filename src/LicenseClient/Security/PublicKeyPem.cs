using System;
using System.Security.Cryptography;

namespace LicenseClient.Security;

/// <summary>
/// Reads an RSA public key from PEM: <c>-----BEGIN PUBLIC KEY-----</c> (SubjectPublicKeyInfo) or
/// <c>-----BEGIN RSA PUBLIC KEY-----</c> (PKCS#1), with a small DER reader of its own, so it works on
/// netstandard2.0, which has no PEM or ASN.1 APIs.
/// </summary>
internal static class PublicKeyPem
{
    private const string SubjectPublicKeyInfoLabel = "PUBLIC KEY";
    private const string Pkcs1Label = "RSA PUBLIC KEY";

    /// <summary>The DER encoding of the rsaEncryption object identifier, 1.2.840.113549.1.1.1.</summary>
    private static readonly byte[] RsaEncryption = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];

    /// <summary>The key's modulus and exponent.</summary>
    /// <exception cref="FormatException">The text is not an RSA public key in PEM form.</exception>
    public static RSAParameters Parse(string pem)
    {
        (string label, byte[] der) = Decode(pem);
        var reader = new DerReader(der);
        if (label == SubjectPublicKeyInfoLabel)
        {
            DerReader info = reader.ReadSequence();
            DerReader algorithm = info.ReadSequence();
            if (!algorithm.Read(0x06).AsSpan().SequenceEqual(RsaEncryption))
            {
                throw new FormatException("The public key is not an RSA key.");
            }

            byte[] bits = info.Read(0x03);
            if (bits.Length < 2 || bits[0] != 0)
            {
                throw new FormatException("The public key's bit string is malformed.");
            }

            reader = new DerReader(bits.AsSpan(1).ToArray());
        }

        DerReader key = reader.ReadSequence();
        return new RSAParameters { Modulus = Unsigned(key.Read(0x02)), Exponent = Unsigned(key.Read(0x02)) };
    }

    /// <summary>The label and DER bytes of the first PEM block, which must be a public key.</summary>
    /// <exception cref="FormatException">The text holds no public key PEM block.</exception>
    public static (string Label, byte[] Der) Decode(string pem)
    {
        foreach (string label in new[] { Pkcs1Label, SubjectPublicKeyInfoLabel })
        {
            string begin = $"-----BEGIN {label}-----";
            string end = $"-----END {label}-----";
            int start = pem.IndexOf(begin, StringComparison.Ordinal);
            int stop = start < 0 ? -1 : pem.IndexOf(end, start + begin.Length, StringComparison.Ordinal);
            if (stop < 0)
            {
                continue;
            }

            try
            {
                return (label, Convert.FromBase64String(pem.Substring(start + begin.Length, stop - start - begin.Length)));
            }
            catch (FormatException ex)
            {
                throw new FormatException("The PEM block is not valid Base64.", ex);
            }
        }

        throw new FormatException("The text holds no -----BEGIN PUBLIC KEY----- block.");
    }

    /// <summary>A DER INTEGER's bytes without the leading zero that keeps it positive.</summary>
    private static byte[] Unsigned(byte[] integer)
        => integer.Length > 1 && integer[0] == 0 ? integer.AsSpan(1).ToArray() : integer;

    /// <summary>Reads definite-length DER elements in order.</summary>
    private sealed class DerReader(byte[] data)
    {
        private int _position;

        public DerReader ReadSequence() => new(Read(0x30));

        /// <summary>The contents of the next element, which must have <paramref name="tag"/>.</summary>
        public byte[] Read(byte tag)
        {
            if (_position + 2 > data.Length || data[_position] != tag)
            {
                throw new FormatException("The key's DER encoding is malformed.");
            }

            int length = data[_position + 1];
            _position += 2;
            if (length > 0x7F)
            {
                int octets = length & 0x7F;
                if (octets is 0 or > 3 || _position + octets > data.Length)
                {
                    throw new FormatException("The key's DER encoding is malformed.");
                }

                length = 0;
                for (int i = 0; i < octets; i++)
                {
                    length = (length << 8) | data[_position++];
                }
            }

            if (_position + length > data.Length)
            {
                throw new FormatException("The key's DER encoding is truncated.");
            }

            byte[] contents = data.AsSpan(_position, length).ToArray();
            _position += length;
            return contents;
        }
    }
}
