//! Who the client is behind reverse proxies (`--trust-proxy`). Each proxy appends the
//! address it received the request from to `X-Forwarded-For`, so only the entries on the
//! right, added by the proxies in front of pitwall, can be believed: anything to their left
//! was written by the client. The client is the rightmost entry that none of the configured
//! proxies added, given either as a count of proxies (hops) or as the proxies' addresses
//! and networks.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

/// Which `X-Forwarded-For` entries to believe.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TrustProxy {
    /// Ignore `X-Forwarded-For`: the client is the connection's peer.
    #[default]
    Off,
    /// This many proxies in front (1: nginx with `proxy_add_x_forwarded_for`): the client is
    /// the entry this many from the right.
    Hops(u8),
    /// The proxies' addresses or networks: when the peer is one of them, entries are walked
    /// from the right past those that are proxies too; the first other one is the client.
    Proxies(Vec<Network>),
}

/// An address or network, `10.0.0.1`, `10.0.0.0/8` or `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    /// Whether `ip` is in the network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let shift = 32 - u32::from(self.prefix);
                u32::from(net).checked_shr(shift) == u32::from(ip).checked_shr(shift)
                    || self.prefix == 0
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let shift = 128 - u32::from(self.prefix);
                u128::from(net).checked_shr(shift) == u128::from(ip).checked_shr(shift)
                    || self.prefix == 0
            }
            _ => false,
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A `--trust-proxy` value that is neither a boolean, a hop count nor a list of addresses.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0:?} is not a proxy address or network; give --trust-proxy a number of proxies \
     (1 behind one nginx), or their addresses and networks separated by commas \
     (e.g. 10.0.0.2,192.168.0.0/16), or false"
)]
pub struct BadProxy(String);

impl FromStr for Network {
    type Err = BadProxy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadProxy(s.to_owned());
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let addr = canonical(addr.trim().parse::<IpAddr>().map_err(|_| bad())?);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(bad)?,
            None => max,
        };
        Ok(Network { addr, prefix })
    }
}

impl FromStr for TrustProxy {
    type Err = BadProxy;

    /// `false`/`off`/`0` → off; `true`/`on` → one proxy; `N` → N proxies; otherwise
    /// comma-separated addresses and networks.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let value = s.trim();
        match value.to_ascii_lowercase().as_str() {
            "false" | "no" | "off" | "0" | "" => return Ok(TrustProxy::Off),
            "true" | "yes" | "on" => return Ok(TrustProxy::Hops(1)),
            _ => {}
        }
        if value.bytes().all(|b| b.is_ascii_digit()) {
            return value
                .parse::<u8>()
                .map(TrustProxy::Hops)
                .map_err(|_| BadProxy(s.to_owned()));
        }
        let networks = value
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Network>, _>>()?;
        Ok(TrustProxy::Proxies(networks))
    }
}

impl TrustProxy {
    /// The client of a request from `peer` carrying these `X-Forwarded-For` values.
    pub(crate) fn client<'a>(
        &self,
        peer: IpAddr,
        forwarded: impl Iterator<Item = &'a str>,
    ) -> IpAddr {
        match self {
            TrustProxy::Off => peer,
            TrustProxy::Hops(0) => peer,
            TrustProxy::Hops(hops) => {
                let entries: Vec<&str> = forwarded.flat_map(|v| v.split(',')).collect();
                // Fewer entries than proxies: the leftmost was still added by a proxy.
                let index = entries.len().saturating_sub(usize::from(*hops));
                entries
                    .get(index)
                    .and_then(|e| parse_entry(e))
                    .unwrap_or(peer)
            }
            TrustProxy::Proxies(proxies) => {
                let is_proxy = |ip: IpAddr| proxies.iter().any(|n| n.contains(ip));
                if !is_proxy(peer) {
                    return peer;
                }
                let entries: Vec<&str> = forwarded.flat_map(|v| v.split(',')).collect();
                let mut client = peer;
                for entry in entries.iter().rev() {
                    // Garbage where an address should be: the last proxy is all we know.
                    let Some(ip) = parse_entry(entry) else { break };
                    client = ip;
                    if !is_proxy(ip) {
                        break;
                    }
                }
                client
            }
        }
    }
}

/// One `X-Forwarded-For` entry: `1.2.3.4`, `::1`, `1.2.3.4:80` or `[::1]:80`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) as IPv4.
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn client(trust: &str, peer: &str, xff: &str) -> IpAddr {
        trust
            .parse::<TrustProxy>()
            .unwrap()
            .client(ip(peer), std::iter::once(xff))
    }

    #[test]
    fn hops_count_from_the_right() {
        // The client wrote 6.6.6.6; nginx appended the address it saw.
        assert_eq!(
            client("1", "127.0.0.1", "6.6.6.6, 203.0.113.9"),
            ip("203.0.113.9")
        );
        assert_eq!(
            client("true", "127.0.0.1", "6.6.6.6,203.0.113.9"),
            ip("203.0.113.9")
        );
        assert_eq!(
            client("2", "127.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.5"),
            ip("203.0.113.9")
        );
        assert_eq!(client("2", "127.0.0.1", "203.0.113.9"), ip("203.0.113.9"));
        assert_eq!(client("1", "127.0.0.1", "garbage"), ip("127.0.0.1"));
        assert_eq!(client("off", "127.0.0.1", "6.6.6.6"), ip("127.0.0.1"));
    }

    #[test]
    fn listed_proxies_are_skipped_from_the_right() {
        let trust = "10.0.0.0/8, 192.168.1.7";
        assert_eq!(
            client(trust, "192.168.1.7", "6.6.6.6, 203.0.113.9, 10.1.2.3"),
            ip("203.0.113.9")
        );
        // A peer that is not a proxy is the client, whatever it claims.
        assert_eq!(client(trust, "198.51.100.4", "6.6.6.6"), ip("198.51.100.4"));
        assert_eq!(client(trust, "192.168.1.7", "10.0.0.1"), ip("10.0.0.1"));
        assert_eq!(
            client("::1, fd00::/8", "::1", "[2001:db8::5]:443, fd00::9"),
            ip("2001:db8::5")
        );
        assert_eq!(
            client(trust, "::ffff:192.168.1.7", "203.0.113.9"),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in ["10.0.0.0/33", "nginx", "1.2.3.4/x", "300"] {
            assert!(bad.parse::<TrustProxy>().is_err(), "{bad}");
        }
        assert_eq!(
            "0.0.0.0/0".parse::<Network>().unwrap().to_string(),
            "0.0.0.0/0"
        );
        assert!(
            "0.0.0.0/0"
                .parse::<Network>()
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
    }
}
