//! Which `Host` and `Origin` headers the preview answers.
//!
//! A page on any web site can point its own host name at 127.0.0.1 (DNS
//! rebinding) and then read the preview as if it were its own: the browser
//! sends that foreign name as `Host`. So the preview answers only names that
//! cannot belong to someone else: loopback names and the address it was told
//! to listen on; with `--host 0.0.0.0` (previewing on a phone) also the
//! machine's own names and any IP address literal, since a browser sends an
//! address as `Host` only when it really connected to that address. WebSocket
//! upgrades ignore the same-origin policy, so their `Origin`, when present,
//! must pass the same rules.

use std::net::{IpAddr, SocketAddr};

/// The host names and addresses the preview answers.
#[derive(Debug, Clone)]
pub struct Allowed {
    /// The port the preview listens on.
    port: u16,
    /// Names (lower case) and address literals accepted besides loopback ones.
    names: Vec<String>,
    /// Whether any IP address literal is accepted (listening on all addresses).
    any_address: bool,
}

impl Allowed {
    /// What a preview listening on `bound` (asked for as `--host host`)
    /// answers; `machine_names` are the machine's own names, used only when
    /// it listens on every address.
    pub fn new(bound: SocketAddr, host: &str, machine_names: &[String]) -> Allowed {
        let any_address = bound.ip().is_unspecified();
        let mut names = vec![bound.ip().to_string(), normal_name(host)];
        if any_address {
            names.extend(machine_names.iter().map(|n| normal_name(n)));
        }
        names.retain(|n| !n.is_empty());
        Allowed {
            port: bound.port(),
            names,
            any_address,
        }
    }

    /// Whether a request whose `Host` header is `host` (`name[:port]`) is answered.
    pub fn host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if is_loopback(&name) {
            return true;
        }
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        self.names.iter().any(|n| *n == literal)
            || (self.any_address && literal.parse::<IpAddr>().is_ok())
    }

    /// Whether a WebSocket upgrade whose `Origin` header is `origin` is accepted.
    pub fn origin(&self, origin: &str) -> bool {
        let Some(authority) = origin.strip_prefix("http://") else {
            return false;
        };
        !authority.contains(['/', '@', '?', '#']) && self.host(authority)
    }

    /// Where the preview can be opened, for the refusal message.
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// `name[:port]` split into a lower-case name (IPv6 in brackets, as sent) and its port.
fn split_host(host: &str) -> Option<(String, Option<u16>)> {
    let host = host.trim().to_ascii_lowercase();
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        let port = match rest.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if rest.is_empty() => None,
            None => return None,
        };
        (host[..=end].to_string(), port)
    } else {
        match host.rsplit_once(':') {
            Some((name, p)) => (name.to_string(), Some(p.parse().ok()?)),
            None => (host, None),
        }
    };
    let name = normal_name(&name);
    (!name.is_empty()).then_some((name, port))
}

/// Lower case without the root dot (`localhost.` is `localhost`).
fn normal_name(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Names that always mean this machine: `localhost` (and `*.localhost`,
/// which browsers resolve to loopback themselves), 127.x.x.x and [::1].
fn is_loopback(name: &str) -> bool {
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    let literal = name.trim_start_matches('[').trim_end_matches(']');
    match literal.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// The machine's own host name (and its `.local` name for mDNS), for a
/// preview listening on every address. std has no gethostname: read
/// /etc/hostname, else ask the `hostname` command.
pub fn machine_names() -> Vec<String> {
    let name = std::fs::read_to_string("/etc/hostname")
        .ok()
        .or_else(|| {
            let out = std::process::Command::new("hostname").output().ok()?;
            String::from_utf8(out.stdout).ok()
        })
        .map(|n| normal_name(&n))
        .unwrap_or_default();
    if name.is_empty() {
        return Vec::new();
    }
    let short = name.split('.').next().unwrap_or(&name).to_string();
    let mut names = vec![name.clone(), format!("{short}.local"), short];
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(addr: &str, host: &str) -> Allowed {
        Allowed::new(addr.parse().unwrap(), host, &["laptop".to_string()])
    }

    #[test]
    fn loopback_names_and_the_bound_address_are_answered() {
        let a = on("127.0.0.1:3000", "127.0.0.1");
        for host in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST",
            "localhost.:3000",
            "app.localhost:3000",
            "127.4.5.6:8080",
            "[::1]:3000",
            "[::1]",
            "[::ffff:127.0.0.1]:3000",
        ] {
            assert!(a.host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "laptop:3000",
            "192.168.1.5:3000",
            "",
            ":3000",
            "[::1",
            "localhost:notaport",
        ] {
            assert!(!a.host(host), "{host}");
        }
    }

    #[test]
    fn all_addresses_add_the_machine_and_address_literals() {
        let a = on("0.0.0.0:3000", "0.0.0.0");
        assert!(a.host("laptop:3000"));
        assert!(a.host("192.168.1.5:3000"));
        assert!(a.host("[fe80::1]:3000"));
        assert!(
            !a.host("192.168.1.5:4000"),
            "another port is another server"
        );
        assert!(!a.host("evil.example:3000"));
        let named = on("192.168.1.5:3000", "192.168.1.5");
        assert!(named.host("192.168.1.5:3000"));
        assert!(!named.host("192.168.1.6:3000"));
        assert!(!named.host("laptop:3000"), "only with every address");
    }

    #[test]
    fn websocket_origins_follow_the_host_rules() {
        let a = on("127.0.0.1:3000", "127.0.0.1");
        assert!(a.origin("http://127.0.0.1:3000"));
        assert!(a.origin("http://localhost:3000"));
        assert!(!a.origin("http://evil.example"));
        assert!(!a.origin("https://evil.example"));
        assert!(!a.origin("null"));
        assert!(!a.origin("http://evil.example@127.0.0.1:3000"));
        assert!(!a.origin("file://"));
    }
}
