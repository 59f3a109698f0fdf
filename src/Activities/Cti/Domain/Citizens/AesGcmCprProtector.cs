using System.Security.Cryptography;
using System.Text;

namespace Exit.Activities.Cti.Domain;

/// <summary>
/// AES-256-GCM protection of CPR numbers. Output is base64 of: version byte, 12-byte random nonce,
/// 16-byte tag, ciphertext. A fresh nonce per call means the same CPR number encrypts differently each
/// time, so the stored value cannot be used to find a citizen (a keyed hash would be needed for lookups).
/// The key comes from the host's secret store; it is never generated or persisted here.
/// </summary>
public sealed class AesGcmCprProtector : ICprProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int KeySize = 32;

    // Binds ciphertexts to their purpose so a protected CPR cannot be replayed as another protected field.
    private static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes("exit.cti.cpr.v1");

    private readonly byte[] _key;

    public AesGcmCprProtector(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The CPR protection key must be {KeySize} bytes (AES-256).", nameof(key));
        }

        _key = (byte[])key.Clone();
    }

    public string Protect(CprNumber cpr)
    {
        ArgumentNullException.ThrowIfNull(cpr);
        var plaintext = Encoding.ASCII.GetBytes(cpr.Digits);
        var output = new byte[1 + NonceSize + TagSize + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);

        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), AssociatedData);
        return Convert.ToBase64String(output);
    }

    public CprNumber Unprotect(string protectedCpr)
    {
        ArgumentNullException.ThrowIfNull(protectedCpr);
        var input = Convert.FromBase64String(protectedCpr);
        if (input.Length <= 1 + NonceSize + TagSize || input[0] != FormatVersion)
        {
            throw new CryptographicException("Not a protected CPR number in a known format.");
        }

        var ciphertext = input.AsSpan(1 + NonceSize + TagSize);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(1, NonceSize), ciphertext, input.AsSpan(1 + NonceSize, TagSize), plaintext, AssociatedData);
        return CprNumber.Parse(Encoding.ASCII.GetString(plaintext));
    }
}
