//! The client's address, for throttling: the peer, or behind trusted proxies the rightmost address in
//! `X-Forwarded-For` (or `Forwarded: for=`) that is not one of them. Everything left of that was written by the
//! client itself and can be anything it likes; the leftmost entry in particular is the client's own choice.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header;
use ipnet::IpNet;

/// The longest address text kept from a header (a garbage entry is used as it is, cut to this length).
const MAX_ENTRY: usize = 64;

/// The address a request counts against (see the module documentation). `trusted` lists the proxies whose
/// forwarding headers are believed; empty, the peer address is used and the headers are ignored.
pub fn client_address(req: &HttpRequest, trusted: &[IpNet]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".to_owned();
    };
    if !is_trusted(peer, trusted) {
        return peer.to_string();
    }
    let hops = forwarded_hops(req);
    rightmost_untrusted(&hops, trusted).unwrap_or_else(|| peer.to_string())
}

fn is_trusted(address: IpAddr, trusted: &[IpNet]) -> bool {
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    };
    trusted.iter().any(|net| net.contains(&address))
}

/// The hops a request went through, client first: every `X-Forwarded-For` line in order, else `Forwarded`'s
/// `for=` parameters.
fn forwarded_hops(req: &HttpRequest) -> Vec<String> {
    let lines = |name: header::HeaderName| -> Vec<String> {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::to_owned)
            .collect()
    };
    let forwarded_for = lines(header::HeaderName::from_static("x-forwarded-for"));
    if !forwarded_for.is_empty() {
        return forwarded_for;
    }
    lines(header::FORWARDED)
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"').to_owned())
            })
        })
        .collect()
}

/// An address as a hop names it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = hop.parse() {
        return Some(address);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.rsplit_once(':')?.0.parse().ok()
}

fn rightmost_untrusted(hops: &[String], trusted: &[IpNet]) -> Option<String> {
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(address) if is_trusted(address, trusted) => {}
            Some(address) => return Some(address.to_string()),
            None => {
                let text: String = hop.trim().chars().take(MAX_ENTRY).collect();
                return Some(if text.is_empty() {
                    "unknown".into()
                } else {
                    text
                });
            }
        }
    }
    // Every hop is a trusted proxy: the leftmost is the closest we know to the client.
    hops.first()
        .and_then(|h| parse_hop(h))
        .map(|a| a.to_string())
}

/// Reads a list of trusted proxies: addresses or networks (`10.0.0.0/8`, `127.0.0.1`, `::1`), comma separated.
pub fn parse_trusted(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{entry}` is neither an IP address nor a network"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hops(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_rightmost_address_that_is_not_a_trusted_proxy_is_the_client() {
        let trusted = parse_trusted("10.0.0.0/8, 127.0.0.1").unwrap();
        // The client put 1.1.1.1 there itself; our proxy appended the address it saw.
        let chain = hops(&["1.1.1.1", " 203.0.113.7", "10.0.0.2"]);
        assert_eq!(
            rightmost_untrusted(&chain, &trusted).as_deref(),
            Some("203.0.113.7")
        );
        let chain = hops(&["[2001:db8::1]:4711", "10.1.1.1:80"]);
        assert_eq!(
            rightmost_untrusted(&chain, &trusted).as_deref(),
            Some("2001:db8::1")
        );
        let chain = hops(&["10.0.0.9", "10.0.0.2"]);
        assert_eq!(
            rightmost_untrusted(&chain, &trusted).as_deref(),
            Some("10.0.0.9")
        );
        let chain = hops(&["1.1.1.1", "not an address"]);
        assert_eq!(
            rightmost_untrusted(&chain, &trusted).as_deref(),
            Some("not an address")
        );
        assert_eq!(rightmost_untrusted(&[], &trusted), None);
    }

    #[test]
    fn trusted_proxies_parse_as_addresses_or_networks() {
        let parsed = parse_trusted("127.0.0.1,::1, 10.0.0.0/8").unwrap();
        assert_eq!(parsed.len(), 3);
        assert!(is_trusted("10.200.0.1".parse().unwrap(), &parsed));
        assert!(is_trusted("::ffff:127.0.0.1".parse().unwrap(), &parsed));
        assert!(!is_trusted("11.0.0.1".parse().unwrap(), &parsed));
        assert!(parse_trusted("").unwrap().is_empty());
        assert!(parse_trusted("10.0.0.0/33").is_err());
        assert!(parse_trusted("proxy.example").is_err());
    }
}
