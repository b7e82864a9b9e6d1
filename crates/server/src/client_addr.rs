//! The real client address behind trusted reverse proxies.
//!
//! Limits per client address need the address of the client, not of the proxy in front of the server
//! (behind one proxy every customer would otherwise share one budget). `X-Forwarded-For` (or, without
//! it, `Forwarded: for=`) is read from right to left, and each hop is believed only while the address
//! that told it is one of `RAPPORT_TRUSTED_PROXIES`; the first address not trusted is the client. A
//! direct client's own headers are never believed, so they cannot pick an address of their choosing.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{request::Parts, HeaderMap};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// An address range: an address and the number of leading bits that must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub bits: u8,
}

impl Cidr {
    /// `203.0.113.7`, `10.0.0.0/8`, `::1`, `2001:db8::/32`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (addr, bits) = match text.split_once('/') {
            Some((addr, bits)) => (addr, Some(bits)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or CIDR range"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(bits) => bits
                .parse::<u8>()
                .ok()
                .filter(|b| *b <= max)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {max}"))?,
            None => max,
        };
        Ok(Cidr { addr, bits })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_eq(
                u128::from(net.to_bits()) << 96,
                u128::from(ip.to_bits()) << 96,
                self.bits,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => prefix_eq(net.to_bits(), ip.to_bits(), self.bits),
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, bits: u8) -> bool {
    bits == 0 || (a ^ b) >> (128 - u32::from(bits)) == 0
}

/// A comma-separated list of addresses and ranges (`RAPPORT_TRUSTED_PROXIES`).
pub fn parse_list(text: &str) -> Result<Vec<Cidr>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(Cidr::parse)
        .collect()
}

/// One hop of a forwarding header: an address, perhaps quoted, bracketed or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(socket) = hop.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    let hop = hop.strip_prefix('[').unwrap_or(hop);
    let hop = hop.split(']').next().unwrap_or(hop);
    hop.parse()
        .ok()
        .or_else(|| hop.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok()))
}

/// The hops named by the request's forwarding headers, nearest client first.
fn hops(headers: &HeaderMap) -> Vec<String> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_owned())
            .collect()
    };
    let forwarded_for = values("x-forwarded-for");
    if !forwarded_for.is_empty() {
        return forwarded_for;
    }
    values("forwarded")
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().to_owned())
            })
        })
        .collect()
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the first untrusted hop of
/// its forwarding header read from the right. An unreadable hop stops the walk at the last one believed.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Cidr]) -> Option<IpAddr> {
    let mut client = peer?;
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(client) {
        return Some(client);
    }
    for hop in hops(headers).iter().rev() {
        if !is_trusted(client) {
            break;
        }
        match parse_hop(hop) {
            Some(ip) => client = ip,
            None => break,
        }
    }
    Some(client)
}

/// The request's client address, as [`client_ip`] finds it (`None` without a TCP peer, as in tests
/// that call the router directly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientAddr(client_ip(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn ranges() {
        let net = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:ffff::1".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("proxy.local").is_err());
        assert_eq!(parse_list(" 127.0.0.1, ::1 ,").unwrap().len(), 2);
    }

    #[test]
    fn headers_of_untrusted_peers_are_ignored() {
        let spoof = headers(&[("x-forwarded-for", "198.51.100.1")]);
        assert_eq!(client_ip(ip("203.0.113.9"), &spoof, &[]), ip("203.0.113.9"));
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        let trusted = parse_list("127.0.0.1, 10.0.0.0/8").unwrap();
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.5")]);
        // 1.2.3.4 was written by the client itself; 198.51.100.7 is what our proxies saw.
        assert_eq!(
            client_ip(ip("127.0.0.1"), &chain, &trusted),
            ip("198.51.100.7")
        );
        let forwarded = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=http, for=\"[2001:db8::17]:4711\"",
        )]);
        assert_eq!(
            client_ip(ip("10.9.9.9"), &forwarded, &trusted),
            ip("2001:db8::17")
        );
        let garbage = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(
            client_ip(ip("127.0.0.1"), &garbage, &trusted),
            ip("127.0.0.1")
        );
        let only_proxies = headers(&[("x-forwarded-for", "10.0.0.1, 10.0.0.2")]);
        assert_eq!(
            client_ip(ip("127.0.0.1"), &only_proxies, &trusted),
            ip("10.0.0.1")
        );
        assert_eq!(client_ip(None, &chain, &trusted), None);
    }
}
