use super::*;

#[test]
fn extracts_paragraphs_and_title() {
    let html = "<html><head><title>Big news</title><script>var x=1;</script></head><body><nav>Home News Sport</nav><article><h1>Big news today</h1><p>The first paragraph says a thing &amp; more, and it says it at length.</p><p>The second paragraph says another thing, which is also long enough.</p></article><footer>Copyright</footer></body></html>";
    let e = extract(html).unwrap_or_default();
    assert_eq!(e.title.as_deref(), Some("Big news"));
    assert!(e
        .text
        .contains("The first paragraph says a thing & more, and it says it at length.\n\nThe second paragraph"));
    assert!(!e.text.contains("var x"));
    assert!(!e.text.contains("Copyright"));
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let html = format!("{}text here in the middle{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
    assert_eq!(extract(&html), Err(Error::MaxDepthExceeded { depth: DEFAULT_MAX_DEPTH + 1, max: DEFAULT_MAX_DEPTH }));
}
