//! HTML extraction: any string parses to a title and text without panicking,
//! and the extracted text goes through the rest of the pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precis::domain::html;

fuzz_target!(|page: &str| {
    // Refusing a page nested past the depth limit is an answer, not a crash.
    if let Ok(e) = html::extract(page) {
        let _ = precis::domain::segment::split(&e.text);
    }
});
