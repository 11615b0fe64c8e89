//! A PDF's bytes on their way from CxReports to the browser, held back at
//! the end until they are seen to be a whole PDF.
use std::sync::Arc;

use cxreports_contract::ReportRef;
use futures_util::StreamExt;

use crate::upstream::Upstream;

/// The PDF's bytes as they come, ending in an error (so the browser's
/// download fails, never ends as a complete file) when CxReports breaks
/// off, pauses past the export limit, or ends the body without a PDF's
/// closing `%%EOF`, as a connection closed mid-file would.
pub(super) fn complete_pdf(
    answer: reqwest::Response,
    upstream: Arc<Upstream>,
    target: ReportRef,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send {
    /// How far from the end `%%EOF` may be (trailing line ends, a little
    /// padding).
    const TAIL: usize = 32;
    let broke = move |upstream: &Upstream, why: &str| {
        upstream.log(&format!(
            "the PDF of report {target} broke off while streaming: {why}"
        ));
        std::io::Error::other("CxReports broke off the PDF")
    };
    // The last bytes are held back until the end is seen to be a PDF's,
    // so a cut file never reaches the browser whole-looking (with a
    // Content-Length, the final bytes would otherwise complete it).
    futures_util::stream::unfold(
        (
            answer.bytes_stream(),
            Vec::<u8>::new(),
            false,
            upstream,
            broke,
        ),
        |(mut stream, mut held, done, upstream, broke)| async move {
            if done {
                return None;
            }
            match stream.next().await {
                Some(Ok(chunk)) => {
                    held.extend_from_slice(&chunk);
                    let cut = held.len().saturating_sub(TAIL);
                    let ready = bytes::Bytes::from(held.drain(..cut).collect::<Vec<u8>>());
                    Some((Ok(ready), (stream, held, false, upstream, broke)))
                }
                Some(Err(error)) => {
                    let why = if error.is_timeout() {
                        "timed out (CXREPORTS_EXPORT_TIMEOUT_MS)"
                    } else {
                        "connection lost"
                    };
                    let error = broke(&upstream, why);
                    Some((Err(error), (stream, held, true, upstream, broke)))
                }
                None if held.windows(5).any(|w| w == b"%%EOF") => {
                    let rest = bytes::Bytes::from(std::mem::take(&mut held));
                    Some((Ok(rest), (stream, held, true, upstream, broke)))
                }
                None => {
                    let error = broke(&upstream, "it ended without %%EOF, so it is incomplete");
                    Some((Err(error), (stream, held, true, upstream, broke)))
                }
            }
        },
    )
}
