using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain.Provenance;

public static class ContentHash
{
    /// <summary>SHA-256 of the exact bytes of a source, as <c>sha256:</c> and lowercase hex.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));
}
