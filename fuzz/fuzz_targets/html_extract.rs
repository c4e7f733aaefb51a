//! HTML extraction: any string parses to a title and text without panicking,
//! and the extracted text goes through the rest of the pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precis::domain::html;

fuzz_target!(|page: &str| {
    let e = html::extract(page);
    let _ = precis::domain::segment::split(&e.text);
});
