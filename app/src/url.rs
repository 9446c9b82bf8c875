//! Building URLs the console links to.

/// Percent-encodes every byte but RFC 3986's unreserved characters and those in `keep`, so
/// stream names (and, with `b"/"`, paths) stay readable in the address bar.
pub fn percent_encode(value: &str, keep: &[u8]) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b if keep.contains(&b) => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn only_unreserved_bytes_and_the_kept_ones_stay() {
        assert_eq!(percent_encode("demo-orders_1.x~", b""), "demo-orders_1.x~");
        assert_eq!(percent_encode("a b/c?d=é", b""), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(percent_encode("/streams/a?x=1", b"/"), "/streams/a%3Fx%3D1");
    }
}
