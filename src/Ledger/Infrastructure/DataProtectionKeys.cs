using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Ledger.Infrastructure;

/// <summary>One key of ASP.NET Core Data Protection's key ring, as the XML element the key manager wrote.</summary>
public sealed record DataProtectionKey(string Id, string Xml);

/// <summary>
/// Keeps the Data Protection key ring in the ledger's PostgreSQL, so that every node protects and unprotects
/// with the same keys and a restarted node can still read what it protected before.
/// </summary>
public sealed class MartenXmlRepository(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // The key manager's interface is synchronous; it reads rarely (at start and when the ring is refreshed).
        using var session = store.QuerySession();
        var keys = session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
        return keys.Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey(string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString() : friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}

public static class DataProtectionSetup
{
    /// <summary>The application name every node shares: keys protect only for the same name.</summary>
    public const string ApplicationName = "ledger";

    public static IServiceCollection AddLedgerDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<KeyManagementOptions>>(provider =>
            new Microsoft.Extensions.Options.ConfigureOptions<KeyManagementOptions>(options =>
                options.XmlRepository = new MartenXmlRepository(provider.GetRequiredService<IDocumentStore>())));
        return services;
    }
}
