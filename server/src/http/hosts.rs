//! The names the console answers to. A browser sends the name it looked up in `Host`; a page
//! on another site whose name an attacker points at the console's address (DNS rebinding) sends
//! that site's name, and is refused here before any route runs.

use std::net::SocketAddr;

/// The hosts (`name` or `name:port`, lowercase) the console accepts in `Host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHosts {
    /// Exact `host:port` or `host` values.
    exact: Vec<String>,
    /// Names accepted with any port (`CONSOLE_ALLOWED_HOSTS` entries without one).
    any_port: Vec<String>,
}

fn normal(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

impl AllowedHosts {
    /// The public URL's host, the loopback names and the listen address with the port the
    /// console listens on, and the configured extra hosts.
    pub fn new(
        public_url: Option<&url::Url>,
        listen: SocketAddr,
        extra: &[String],
    ) -> AllowedHosts {
        let port = listen.port();
        // The listen address as it is printed at start-up, even 0.0.0.0: no other site's name
        // can be spelled as an address.
        let mut exact = vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
            listen.to_string(),
        ];
        if let Some(url) = public_url {
            if let Some(host) = url.host_str() {
                let host = normal(host);
                match url.port() {
                    // The browser leaves out the scheme's default port.
                    None => {
                        if let Some(default) = url.port_or_known_default() {
                            exact.push(format!("{host}:{default}"));
                        }
                        exact.push(host);
                    }
                    Some(p) => exact.push(format!("{host}:{p}")),
                }
            }
        }
        let mut any_port = Vec::new();
        for entry in extra.iter().map(|e| normal(e)).filter(|e| !e.is_empty()) {
            if has_port(&entry) {
                exact.push(entry);
            } else {
                any_port.push(entry);
            }
        }
        AllowedHosts { exact, any_port }
    }

    pub fn allows(&self, host: &str) -> bool {
        let host = normal(host);
        if self.exact.contains(&host) {
            return true;
        }
        let name = strip_port(&host);
        self.any_port.iter().any(|h| h == name)
    }

    /// What the console answers to, for the start-up log.
    pub fn describe(&self) -> String {
        self.exact
            .iter()
            .chain(self.any_port.iter())
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn has_port(host: &str) -> bool {
    strip_port(host) != host
}

/// `name:port` → `name`; `[v6]:port` → `[v6]`; a bare name or `[v6]` stays.
fn strip_port(host: &str) -> &str {
    if let Some(end) = host.rfind(']') {
        return &host[..=end];
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `hosts` allows every name in `ok` and none in `refused`.
    fn check(hosts: &AllowedHosts, ok: &[&str], refused: &[&str]) {
        for host in ok {
            assert!(hosts.allows(host), "{host} refused");
        }
        for host in refused {
            assert!(!hosts.allows(host), "{host} allowed");
        }
    }

    #[test]
    fn loopback_and_the_listen_address_with_their_port() {
        let hosts = AllowedHosts::new(None, "127.0.0.1:3000".parse().unwrap(), &[]);
        let ok = [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "[::1]:3000",
        ];
        let refused = [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1:3001",
            "localhost",
            "",
        ];
        check(&hosts, &ok, &refused);
        let wide = AllowedHosts::new(None, "0.0.0.0:3000".parse().unwrap(), &[]);
        check(&wide, &["0.0.0.0:3000"], &["10.0.0.5:3000"]);
        let lan = AllowedHosts::new(None, "10.0.0.5:3000".parse().unwrap(), &[]);
        check(&lan, &["10.0.0.5:3000"], &["10.0.0.6:3000"]);
    }

    #[test]
    fn the_public_url_and_extra_hosts() {
        let url = url::Url::parse("https://dis-console.example.com").unwrap();
        let extra = vec!["Console.Internal".to_string(), "10.1.2.3:8443".to_string()];
        let hosts = AllowedHosts::new(Some(&url), "127.0.0.1:3000".parse().unwrap(), &extra);
        let ok = [
            "dis-console.example.com",
            "dis-console.example.com:443",
            "dis-console.example.com.",
            "console.internal",
            "console.internal:3000",
            "10.1.2.3:8443",
        ];
        let refused = [
            "dis-console.example.com:8443",
            "10.1.2.3:3000",
            "evil.example",
        ];
        check(&hosts, &ok, &refused);
        assert!(hosts.describe().contains("console.internal"));
    }
}
