//! How server functions answer: JSON, read in the browser by the reader that reads the data a
//! page was rendered with. Leptos hands a resource's server-rendered value to the browser as
//! JSON text (`serde_json::from_str`), while server_fn's own JSON codec reads a response as
//! bytes (`serde_json::from_slice`); every type that travels both ways was compiled into the
//! WASM twice, once for each reader. [`PageJson`] reads responses (and errors) as text too.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::{DeserializeOwned, Error as _};
use serde::Serialize;

/// JSON, read from text.
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde_json::Error::custom)?;
        serde_json::from_str(text)
    }
}

/// Every server function's output: a `POST` answered with [`JsonText`].
pub type PageJson = Post<JsonText>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_back_as_they_were_written_and_bad_ones_are_refused() {
        let value = vec![("a".to_owned(), 1u32)];
        let bytes = <JsonText as Encodes<_>>::encode(&value).unwrap();
        let back: Vec<(String, u32)> = <JsonText as Decodes<_>>::decode(bytes).unwrap();
        assert_eq!(back, value);
        assert!(<JsonText as Decodes<u32>>::decode(Bytes::from_static(b"\xff")).is_err());
        assert!(<JsonText as Decodes<u32>>::decode(Bytes::from_static(b"\"x\"")).is_err());
    }
}
