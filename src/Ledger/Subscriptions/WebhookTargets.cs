using System.Net;
using System.Net.Sockets;

namespace Ledger.Subscriptions;

/// <summary>
/// Which addresses a webhook may reach. By default only public unicast addresses: a webhook is a URL anyone with
/// a writer's key chooses, and the server must not become a way into its own network (loopback, private ranges,
/// link-local and cloud metadata addresses, multicast). The check runs on every address a host name resolves to,
/// when the connection is made, so a name that later resolves elsewhere (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookTargets
{
    private readonly List<(IPAddress Network, int PrefixLength)> _allowedNetworks = [];
    private readonly HashSet<string> _allowedHosts = new(StringComparer.OrdinalIgnoreCase);

    public WebhookTargets(bool allowPrivate, IEnumerable<string> allowList)
    {
        AllowPrivate = allowPrivate;
        foreach (var entry in allowList ?? [])
        {
            if (TryParseNetwork(entry, out var network, out var prefix))
            {
                _allowedNetworks.Add((network, prefix));
            }
            else if (!string.IsNullOrWhiteSpace(entry))
            {
                _allowedHosts.Add(entry.Trim());
            }
        }
    }

    /// <summary>Every address is allowed (<c>Ledger:Webhooks:AllowPrivateTargets=true</c>): for tests and closed networks.</summary>
    public bool AllowPrivate { get; }

    public static WebhookTargets From(IConfiguration configuration)
    {
        var list = (configuration["Ledger:Webhooks:AllowedTargets"] ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new WebhookTargets(configuration.GetValue("Ledger:Webhooks:AllowPrivateTargets", false), list);
    }

    /// <summary>Whether a host named in a URL is allowed whatever it resolves to.</summary>
    public bool HostIsAllowed(string host) => AllowPrivate || _allowedHosts.Contains(host.TrimEnd('.'));

    /// <summary>Whether a connection to <paramref name="address"/> may be made.</summary>
    public bool AddressIsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (AllowPrivate || IsPublic(address))
        {
            return true;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _allowedNetworks.Any(n => InNetwork(plain, n.Network, n.PrefixLength));
    }

    /// <summary>
    /// Checked at registration: an IP literal, or every address a host resolves to now. A host that does not resolve
    /// is accepted; the connection-time check still applies to whatever it resolves to later.
    /// </summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost.Trim('[', ']');
        if (HostIsAllowed(host))
        {
            return null;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                return null;
            }
        }

        var refused = addresses.FirstOrDefault(a => !AddressIsAllowed(a));
        return refused is null
            ? null
            : $"'{url}' reaches {refused}, which is not a public address (loopback, private, link-local, multicast and reserved addresses are refused unless Ledger:Webhooks:AllowPrivateTargets or Ledger:Webhooks:AllowedTargets allow them)";
    }

    /// <summary>
    /// The connection step of the webhook client: resolves the host, refuses the whole connection if any of its
    /// addresses is not allowed, then connects to the checked addresses themselves (never resolving again).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} does not resolve to any address");
        }

        if (!HostIsAllowed(host) && addresses.FirstOrDefault(a => !AddressIsAllowed(a)) is { } refused)
        {
            throw new WebhookTargetRefusedException($"{host} resolves to {refused}, which is not a public address; the connection was not made");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Public unicast: not loopback, unspecified, private, shared (CGNAT), link-local, multicast, documentation or otherwise reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                   // "this network", unspecified
                || b[0] == 10                                    // RFC 1918
                || b[0] == 127                                   // loopback
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)    // shared address space (CGNAT)
                || (b[0] == 169 && b[1] == 254)                  // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)     // RFC 1918
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)       // IETF protocol assignments
                || (b[0] == 192 && b[1] == 0 && b[2] == 2)       // documentation
                || (b[0] == 192 && b[1] == 168)                  // RFC 1918
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))   // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)    // documentation
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)     // documentation
                || b[0] >= 224);                                 // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || address.IsIPv6Teredo)
            {
                return false;
            }

            var b = address.GetAddressBytes();
            var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;
            var documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;
            var sixToFour = b[0] == 0x20 && b[1] == 0x02;
            var ipv4Compatible = b.Take(12).All(x => x == 0);
            return !(nat64 || documentation || sixToFour || ipv4Compatible || (b[0] & 0xe0) != 0x20);
        }

        return false;
    }

    private static bool TryParseNetwork(string text, out IPAddress network, out int prefix)
    {
        network = IPAddress.None;
        prefix = 0;
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!IPAddress.TryParse(addressText, out var parsed))
        {
            return false;
        }

        var max = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            prefix = max;
        }
        else if (!int.TryParse(trimmed[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix < 0 || prefix > max)
        {
            return false;
        }

        network = parsed;
        return true;
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A webhook's host resolved to an address that is not allowed; the delivery attempt fails without connecting.</summary>
public sealed class WebhookTargetRefusedException(string message) : HttpRequestException(message);
