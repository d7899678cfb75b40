using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain.Provenance;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): the same name always gives the same id, so a report that is
/// imported twice is recognised as the same claim.
/// </summary>
public static class DeterministicId
{
    private static readonly Guid LedgerNamespace = new("6f1c5a3e-2b8d-4f0a-9c7e-3d5b1a8e4c21");

    public static Guid For(params string[] parts) => Create(LedgerNamespace, string.Join('\u001f', parts));

    public static Guid Create(Guid namespaceId, string name)
    {
        Span<byte> namespaceBytes = stackalloc byte[16];
        namespaceId.TryWriteBytes(namespaceBytes, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 specifies for version 5 ids; it is not used for security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
