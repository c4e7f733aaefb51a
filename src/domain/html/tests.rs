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

/// A page with a navigation bar, a sidebar of links, an article of prose and
/// a footer.
fn page(article: &str) -> String {
    format!(
        "<!doctype html><html><head><title>The headline - Site</title><style>p {{ color: red }}</style></head>\
         <body><nav><a href=/>Home</a> <a href=/w>World</a></nav>\
         <div class=\"layout\"><div class=\"sidebar\"><ul><li><a href=/1>Another story entirely here</a></li>\
         <li><a href=/2>Yet another story over there</a></li></ul></div>\
         <div class=\"main\">{article}</div></div>\
         <footer><p>Copyright 2024 Site, all rights reserved, and more words.</p></footer></body></html>"
    )
}

const PROSE: &str = "<article class=\"story-body\"><h1>The headline</h1>\
    <p>The council voted on Tuesday to close the bridge, citing safety, cost and traffic.</p>\
    <h2>What happens next</h2>\
    <p>Repairs will start in spring, officials said, and will last for about a year.</p>\
    <p>Residents, who had asked for a vote, welcomed the decision at the meeting.</p></article>";

fn text(html: &str) -> String {
    extract(html).map(|e| e.text).unwrap_or_default()
}

#[test]
fn keeps_article_paragraphs_and_subheadings_as_blocks() {
    let t = text(&page(PROSE));
    assert!(t.starts_with("The council voted"), "{t}");
    assert!(t.contains("traffic.\n\nWhat happens next\n\nRepairs will start"), "{t}");
    assert!(t.ends_with("at the meeting."), "{t}");
}

#[test]
fn leaves_out_headline_navigation_sidebar_footer_and_styles() {
    let t = text(&page(PROSE));
    for gone in ["The headline", "Home", "Another story", "Copyright", "color"] {
        assert!(!t.contains(gone), "{gone} in {t}");
    }
}

#[test]
fn title_comes_from_og_title_then_title_element() {
    let e = extract(&page(PROSE)).unwrap_or_default();
    assert_eq!(e.title.as_deref(), Some("The headline - Site"));
    let og = "<html><head><meta property=\"og:title\" content=\" Social  title \"><title>T</title></head></html>";
    assert_eq!(extract(og).unwrap_or_default().title.as_deref(), Some("Social title"));
}

#[test]
fn decodes_entities() {
    let t = text(&page(
        "<p>Prices rose by 5&nbsp;% &amp; wages fell, the office said &mdash; again, &quot;sadly&quot;.</p>",
    ));
    assert!(t.contains("5 % & wages fell, the office said — again, \"sadly\"."), "{t}");
}

#[test]
fn drops_related_link_lists_and_comments_inside_the_article() {
    let html = page(
        "<article><p>The first paragraph of the story, with a comma, runs on for a while.</p>\
         <ul class=\"links\"><li><a href=/a>Read this other story now</a></li><li><a href=/b>And this one too please</a></li></ul>\
         <div class=\"related-stories\"><p>Related: a story about something else, also long.</p></div>\
         <p>The second paragraph of the story, again with a comma, runs on as well.</p>\
         <div id=\"comments\"><p>I disagree with this article, strongly, and at length.</p></div></article>",
    );
    let t = text(&html);
    assert!(t.contains("The first paragraph") && t.contains("The second paragraph"), "{t}");
    for gone in ["Read this other", "Related:", "I disagree"] {
        assert!(!t.contains(gone), "{gone} in {t}");
    }
}

#[test]
fn hidden_elements_are_dropped() {
    let html = page(
        "<p>Visible prose of the article, with commas, and enough length to score.</p>\
         <p style=\"display:none\">Hidden prose that should never be read by anyone.</p>\
         <p hidden>Also hidden prose that should never be read by anyone.</p>",
    );
    let t = text(&html);
    assert!(t.contains("Visible prose") && !t.contains("hidden prose") && !t.contains("Hidden prose"), "{t}");
}

#[test]
fn boilerplate_named_wrapper_around_the_article_is_kept() {
    let html = "<html><body><div class=\"sticky-sidebar-wrapper\"><div class=\"entry-content\">\
        <p>The story is here, in a wrapper that is named like a sidebar, sadly.</p>\
        <p>It goes on, with more words, and more commas, for the reader.</p>\
        <p>And it ends here, after a third paragraph, with a full stop.</p></div></div></body></html>";
    let t = text(html);
    assert!(t.contains("The story is here") && t.contains("And it ends here"), "{t}");
}

#[test]
fn script_only_page_gives_empty_text() {
    let t =
        text("<html><head><script>var a = '<p>not text</p>';</script></head><body><script>go()</script></body></html>");
    assert_eq!(t, "");
}

#[test]
fn broken_markup_is_repaired() {
    let t = text("<body><div><p>An unclosed paragraph, with a comma, that goes on and on<p>Another one, with <b>bold <i>text</b> that is badly nested, and it ends.</div>");
    assert!(t.contains("goes on and on\n\nAnother one, with bold text that is badly nested"), "{t}");
}

#[test]
fn huge_attributes_and_odd_input_do_not_panic() {
    let big = format!(
        "<div class=\"{}\" data-x=\"{}\"><p>Some prose, with a comma, here.</p></div>",
        "a".repeat(1 << 20),
        "é".repeat(100_000)
    );
    let _ = extract(&big);
    for s in [
        "",
        "<",
        "</>",
        "<<<>>>",
        "<!--",
        "<html",
        "\u{0}\u{feff}<p>x</p>",
        "<meta charset=\"shift_jis\"><p>日本語の文章です。</p>",
    ] {
        let _ = extract(s);
    }
}

#[test]
fn depth_limit_is_configurable() {
    let html = format!("{}<p>Deep prose, with a comma, and words.</p>{}", "<div>".repeat(100), "</div>".repeat(100));
    assert!(extract_with(&html, &Options { max_depth: 200 }).is_ok());
    assert_eq!(extract_with(&html, &Options { max_depth: 50 }), Err(Error::MaxDepthExceeded { depth: 51, max: 50 }));
}

#[test]
fn article_inside_a_page_wide_form_is_kept() {
    // Some CMSs wrap the whole page in one <form>: it is a container, not
    // a comment form to drop.
    let html = "<html><head><title>Crash</title></head><body><form id=\"page\" method=\"post\">\
        <div class=\"article-body\"><p>Two service members were killed when their helicopter crashed in \
        eastern Afghanistan on Wednesday, officials said.</p><p>The cause of the crash is under \
        investigation, according to a statement from the mission, which gave no further details.</p></div>\
        </form></body></html>";
    let e = extract(html).unwrap_or_default();
    assert!(e.text.contains("Two service members were killed"), "{:?}", e.text);
    assert!(e.text.contains("under investigation"));
}

#[test]
fn boilerplate_words_on_the_root_element_do_not_drop_the_page() {
    // Themes put long lists of layout flags on <html> (`html_menu_right`…);
    // the root always holds the page, whatever its class says.
    let html = "<html class=\"html_menu_right html_sidebar_left\"><head><title>Show</title></head><body>\
        <div class=\"entry-content\"><p>Visitors who booked their tickets came to the theater to watch the show.</p>\
        <p>We have brought some of their reviews here, so check them out below.</p></div></body></html>";
    let t = text(html);
    assert!(t.contains("Visitors who booked") && t.contains("check them out below."), "{t}");
}

#[test]
fn article_split_into_same_named_parts_is_kept_whole() {
    // The body is cut into two containers of one class by an insert
    // between them, each under its own wrapper.
    let part = |a: &str, b: &str| {
        format!(
            "<div class=\"wrap\"><div class=\"body__inner\"><p>{a}, and it goes on with commas, clauses, \
             and more words.</p><p>{b}, which adds detail, colour, and a quote or two.</p></div></div>"
        )
    };
    let html = format!(
        "<html><body><article>{}<div class=\"insert\"><a href=/s>Get the magazine</a></div>{}</article>\
         <div class=\"more\"><p>Unrelated teaser text, with a comma, that should not be read at all.</p></div></body></html>",
        part("The first part of the story opens here", "Its second paragraph follows"),
        part("The second part of the story picks up", "Its last paragraph closes the piece")
    );
    let t = text(&html);
    assert!(t.contains("The first part") && t.contains("The second part"), "{t}");
    assert!(t.contains("closes the piece"), "{t}");
    assert!(!t.contains("Unrelated teaser"), "{t}");
}

#[test]
fn paragraphs_behind_a_paywall_name_continue_the_article() {
    let html = "<html><body><div class=\"article-content\">\
        <p>The company cut its forecast on Tuesday, and the shares fell in early trading.</p>\
        <div class=\"paywall\"><p>The chief executive said the results reflected broad growth across the \
        business, though sales fell short of what the company had expected for the quarter.</p>\
        <p>Analysts said the market was misreading the figures, and saw a chance to buy the shares, since \
        margins were in line with what they had forecast before the report came out.</p>\
        <p>Another analyst pointed to the weather, a weak currency, and falling lumber prices, which together \
        explained most of the shortfall in sales at stores that had been open a year.</p>\
        <p>The shares have still risen by about forty percent this year, well ahead of the wider market, \
        and the company said it would hold a call with investors in the morning.</p></div>\
        <div class=\"comments\"><p>Great article, thanks, I learned a lot from reading it today.</p></div>\
        </div></body></html>";
    let t = text(html);
    assert!(t.contains("cut its forecast") && t.contains("open a year."), "{t}");
    assert!(!t.contains("Great article"), "{t}");
}

#[test]
fn title_falls_back_to_the_first_heading() {
    let html = "<html><body><h1> The  heading </h1><p>Prose of the page, with a comma, and words.</p></body></html>";
    assert_eq!(extract(html).unwrap_or_default().title.as_deref(), Some("The heading"));
}

#[test]
fn containers_used_as_paragraphs_next_to_the_article_are_kept() {
    // Each paragraph is a bare <div> of text, a sibling of the container
    // that scored best.
    let html = "<html><body><article><div class=\"wrap\">\
        <div class=\"para\">The storm reached the coast overnight, the weather service said in a statement.</div>\
        <div class=\"para\">Thousands of homes lost power, and schools across the region were closed.</div>\
        <div class=\"inner\"><p>Crews worked through the night, clearing roads, and restoring lines.</p>\
        <p>Officials said it could take days, or even weeks, before everything was repaired.</p>\
        <p>More rain is expected on Friday, with winds easing, forecasters said.</p></div>\
        <div class=\"links\"><a href=/a>Storm tracker</a></div></div></article></body></html>";
    let t = text(html);
    assert!(t.starts_with("The storm reached the coast"), "{t}");
    assert!(t.contains("schools across the region") && t.contains("winds easing"), "{t}");
}

#[test]
fn a_highlights_box_quoting_a_later_paragraph_is_left_out() {
    let html = page(
        "<article class=\"story-body\">\
         <div class=\"highlights\"><div>Residents, who had asked for a vote, welcomed the decision at the meeting.</div></div>\
         <p>The council voted on Tuesday to close the bridge, citing safety, cost and traffic.</p>\
         <p>Repairs will start in spring, officials said, and will last for about a year.</p>\
         <p>Residents, who had asked for a vote, welcomed the decision at the meeting.</p>\
         <p>Share this</p><p>Share this</p></article>",
    );
    let t = text(&html);
    assert!(t.starts_with("The council voted"), "{t}");
    assert_eq!(t.matches("Residents, who had asked").count(), 1, "{t}");
    assert!(t.contains("about a year.\n\nResidents, who had asked"), "{t}");
}
