//! Cleaning + segmentation: never panics, and every sentence span lies on
//! character boundaries inside the text, in order, outside removed clutter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precis::domain::{clean, segment};

fuzz_target!(|text: &str| {
    let removed = clean::find_clutter(text);
    for r in &removed {
        assert!(text.get(r.span.start..r.span.end).is_some(), "removed span off a char boundary");
    }
    let regions = clean::kept_regions(text.len(), &removed);
    let mut out = Vec::new();
    let mut paragraph = 0;
    for region in &regions {
        paragraph = segment::split_region(text, *region, paragraph, &mut out);
    }
    let mut last_end = 0;
    for s in &out {
        assert!(s.span.start <= s.span.end && s.span.start >= last_end, "spans out of order");
        assert!(text.get(s.span.start..s.span.end).is_some(), "sentence span off a char boundary");
        last_end = s.span.end;
    }
    let _ = segment::split(text);
});
