//! Finds page clutter that scrapers leave in article text.
//!
//! Scraped articles carry page furniture: "Related Posts" blocks with teaser
//! headlines, "Continue reading" links, comment forms, share and newsletter
//! prompts, cookie notices, "Advertisement" markers, lone photo credits,
//! bylines, time stamps and navigation remnants. None of it may reach a summary, a keyphrase or a
//! topic score, and no real sentence may be lost.
//!
//! The cleaner never rewrites the text: it returns the spans of whole lines
//! (blocks) to leave out, each with the kind of clutter it is, so offsets into
//! the caller's text stay valid and the response can say what was removed.
//!
//! Rules (all case-insensitive, on the line with bullets and punctuation
//! trimmed; long lines of prose are never clutter, which keeps the pass cheap
//! and safe). The word lists hold English and the other Latin and Cyrillic
//! languages precis reads (German, French, Spanish, Italian, Portuguese,
//! Dutch, Swedish, Russian):
//! - a *line* rule drops one short line that is clutter by itself ("Continue
//!   reading", "Advertisement", "Share on Facebook", "Photo: Reuters",
//!   "By Jane Doe, Reuters", "Updated: March 3, 2024", "Home › News ›
//!   World", a line of bullets);
//! - a *teaser* rule drops the teaser lines just before a "Continue reading"
//!   or "Read more" link (a truncated paragraph ending in "…" and its
//!   headline);
//! - a *section* rule fires on a heading that opens a trailing block of
//!   furniture ("Related Posts", "Leave a Reply", "More stories") in the last
//!   two thirds of the text and drops it up to the end, stopping before any
//!   line that reads as a full paragraph of prose;
//! - a *sentence* rule ([`call_to_action`]), applied by the pipeline after
//!   sentence splitting, drops a short call-to-action sentence that a page
//!   appended to a paragraph of prose ("Sign up for our newsletter.");
//! - a *repeat* rule drops the earlier copy of a line of
//!   [`MIN_REPEATED_LINE`] bytes or more that a later line, not itself
//!   clutter, repeats byte for byte: a "Highlights" box, teaser or pull quote
//!   that quotes the article's own paragraph, which would otherwise open a
//!   summary out of context.
//!
//! The pass allocates only the result and costs a few microseconds for a
//! typical article.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::text::Span;

/// The kind of clutter a removed block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClutterKind {
    /// Related posts, "more stories", and their teasers.
    Related,
    /// Comment forms and comment sections.
    Comments,
    /// Share, follow and social prompts.
    Share,
    /// Newsletter, subscription, sign-in, app and donation prompts.
    Newsletter,
    /// Cookie and privacy notices.
    Cookie,
    /// "Advertisement" and sponsored markers.
    Advertisement,
    /// Photo and image credits standing alone.
    Credit,
    /// Navigation remnants: breadcrumbs, bullets, menu words.
    Navigation,
    /// "Continue reading", "Read more" and similar links.
    ReadMore,
    /// The earlier copy of a paragraph the text repeats word for word later
    /// (a highlights box, teaser or pull quote quoting the article).
    Repeated,
    /// An author's byline standing alone ("By Jane Doe, Reuters"), an
    /// agency's credit line ("Reporting by …; Editing by …") or an author's
    /// contact line.
    Byline,
}

impl ClutterKind {
    /// The name used in the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClutterKind::Related => "related",
            ClutterKind::Comments => "comments",
            ClutterKind::Share => "share",
            ClutterKind::Newsletter => "newsletter",
            ClutterKind::Cookie => "cookie",
            ClutterKind::Advertisement => "advertisement",
            ClutterKind::Credit => "credit",
            ClutterKind::Navigation => "navigation",
            ClutterKind::ReadMore => "read-more",
            ClutterKind::Repeated => "repeated",
            ClutterKind::Byline => "byline",
        }
    }
}

/// A block of clutter left out of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// The removed bytes: whole lines (without the final line break), or
    /// one sentence for a call to action inside a paragraph.
    pub span: Span,
    /// What it was.
    pub kind: ClutterKind,
}

/// Lines longer than this (trimmed) are prose, never clutter.
const MAX_CLUTTER_LINE: usize = 320;
/// Most line rules apply only to lines up to this length.
const SHORT_LINE: usize = 160;
/// Section headings are at most this long.
const MAX_HEADING: usize = 48;
/// Inside a trailing section, a line this long that does not end like a
/// teaser ("…") is a real paragraph: the section stops before it.
const PROSE_LINE: usize = 280;

use ClutterKind as K;

/// Headings that open a trailing block of page furniture (exact match on the
/// trimmed line; a trailing count such as "Comments (12)" is ignored).
const SECTION_HEADINGS: &[(&str, ClutterKind)] = &[
    ("related posts", K::Related),
    ("related articles", K::Related),
    ("related stories", K::Related),
    ("related news", K::Related),
    ("related content", K::Related),
    ("related coverage", K::Related),
    ("related topics", K::Related),
    ("related links", K::Related),
    ("related reading", K::Related),
    ("related", K::Related),
    ("read next", K::Related),
    ("read more", K::Related),
    ("what to read next", K::Related),
    ("more stories", K::Related),
    ("more news", K::Related),
    ("more on this story", K::Related),
    ("more articles", K::Related),
    ("you may also like", K::Related),
    ("you might also like", K::Related),
    ("you may be interested in", K::Related),
    ("you might be interested in", K::Related),
    ("recommended", K::Related),
    ("recommended for you", K::Related),
    ("recommended stories", K::Related),
    ("recommended articles", K::Related),
    ("most popular", K::Related),
    ("most read", K::Related),
    ("most viewed", K::Related),
    ("popular posts", K::Related),
    ("popular stories", K::Related),
    ("trending", K::Related),
    ("trending now", K::Related),
    ("trending stories", K::Related),
    ("top stories", K::Related),
    ("latest news", K::Related),
    ("latest stories", K::Related),
    ("editor's picks", K::Related),
    ("editor’s picks", K::Related),
    ("around the web", K::Related),
    ("sponsored stories", K::Related),
    ("promoted stories", K::Related),
    ("don't miss", K::Related),
    ("don’t miss", K::Related),
    ("see also", K::Related),
    ("also read", K::Related),
    ("leave a reply", K::Comments),
    ("leave a reply cancel reply", K::Comments),
    ("leave a comment", K::Comments),
    ("post a comment", K::Comments),
    ("add a comment", K::Comments),
    ("comments", K::Comments),
    ("join the conversation", K::Comments),
    ("share this", K::Share),
    ("share this article", K::Share),
    ("like this", K::Share),
    // German, French, Spanish, Italian, Portuguese, Dutch, Swedish, Russian.
    ("mehr zum thema", K::Related),
    ("das könnte sie auch interessieren", K::Related),
    ("das könnte dich auch interessieren", K::Related),
    ("weitere artikel", K::Related),
    ("ähnliche artikel", K::Related),
    ("meistgelesen", K::Related),
    ("meistgelesene artikel", K::Related),
    ("auch interessant", K::Related),
    ("kommentare", K::Comments),
    ("sur le même sujet", K::Related),
    ("à lire aussi", K::Related),
    ("a lire aussi", K::Related),
    ("lire aussi", K::Related),
    ("les plus lus", K::Related),
    ("articles similaires", K::Related),
    ("dans la même rubrique", K::Related),
    ("commentaires", K::Comments),
    ("noticias relacionadas", K::Related),
    ("te puede interesar", K::Related),
    ("también te puede interesar", K::Related),
    ("lo más leído", K::Related),
    ("más noticias", K::Related),
    ("comentarios", K::Comments),
    ("articoli correlati", K::Related),
    ("potrebbe interessarti", K::Related),
    ("i più letti", K::Related),
    ("leggi anche", K::Related),
    ("commenti", K::Comments),
    ("notícias relacionadas", K::Related),
    ("mais lidas", K::Related),
    ("leia também", K::Related),
    ("veja também", K::Related),
    ("comentários", K::Comments),
    ("gerelateerde artikelen", K::Related),
    ("meest gelezen", K::Related),
    ("lees ook", K::Related),
    ("reacties", K::Comments),
    ("relaterade artiklar", K::Related),
    ("mest läst", K::Related),
    ("läs också", K::Related),
    ("kommentarer", K::Comments),
    ("читайте также", K::Related),
    ("похожие статьи", K::Related),
    ("новости по теме", K::Related),
    ("самое читаемое", K::Related),
    ("комментарии", K::Comments),
];

/// Lines that are clutter by themselves (exact match on the trimmed line).
const LINE_EXACT: &[(&str, ClutterKind)] = &[
    ("continue reading", K::ReadMore),
    ("continue reading the main story", K::ReadMore),
    ("keep reading", K::ReadMore),
    ("read more", K::ReadMore),
    ("read full story", K::ReadMore),
    ("read the full story", K::ReadMore),
    ("read full article", K::ReadMore),
    ("read the full article", K::ReadMore),
    ("read article", K::ReadMore),
    ("read on", K::ReadMore),
    ("click here", K::ReadMore),
    ("show more", K::ReadMore),
    ("load more", K::ReadMore),
    ("view more", K::ReadMore),
    ("see more", K::ReadMore),
    ("advertisement", K::Advertisement),
    ("advertisements", K::Advertisement),
    ("advert", K::Advertisement),
    ("ad", K::Advertisement),
    ("sponsored", K::Advertisement),
    ("sponsored content", K::Advertisement),
    ("paid content", K::Advertisement),
    ("paid post", K::Advertisement),
    ("story continues below", K::Advertisement),
    ("story continues below advertisement", K::Advertisement),
    ("article continues below", K::Advertisement),
    ("article continues below advertisement", K::Advertisement),
    ("content continues below", K::Advertisement),
    ("continue reading below", K::Advertisement),
    ("scroll to continue with content", K::Advertisement),
    ("share", K::Share),
    ("shares", K::Share),
    ("share this", K::Share),
    ("share this article", K::Share),
    ("share this story", K::Share),
    ("share this post", K::Share),
    ("share article", K::Share),
    ("share story", K::Share),
    ("like this", K::Share),
    ("like loading", K::Share),
    ("follow us", K::Share),
    ("copy link", K::Share),
    ("link copied", K::Share),
    ("skip to content", K::Navigation),
    ("skip to main content", K::Navigation),
    ("skip to navigation", K::Navigation),
    ("home", K::Navigation),
    ("menu", K::Navigation),
    ("search", K::Navigation),
    ("close", K::Navigation),
    ("previous", K::Navigation),
    ("next", K::Navigation),
    ("previous article", K::Navigation),
    ("next article", K::Navigation),
    ("previous post", K::Navigation),
    ("next post", K::Navigation),
    ("back to top", K::Navigation),
    ("go to top", K::Navigation),
    ("top of page", K::Navigation),
    ("subscribe", K::Newsletter),
    ("subscribe now", K::Newsletter),
    ("sign up", K::Newsletter),
    ("sign up now", K::Newsletter),
    ("newsletter", K::Newsletter),
    ("newsletters", K::Newsletter),
    ("name", K::Comments),
    ("email", K::Share),
    ("e-mail", K::Share),
    ("website", K::Comments),
    ("comment", K::Comments),
    ("post comment", K::Comments),
    ("submit comment", K::Comments),
    ("cancel reply", K::Comments),
    ("reply", K::Comments),
    ("view comments", K::Comments),
    ("show comments", K::Comments),
    ("comments", K::Comments),
    ("leave a reply", K::Comments),
    ("leave a comment", K::Comments),
    ("accept", K::Cookie),
    ("accept all", K::Cookie),
    ("accept cookies", K::Cookie),
    ("accept all cookies", K::Cookie),
    ("reject all", K::Cookie),
    ("cookie settings", K::Cookie),
    ("cookie policy", K::Cookie),
    ("manage cookies", K::Cookie),
    ("manage preferences", K::Cookie),
    ("getty images", K::Credit),
    ("image", K::Credit),
    ("photo", K::Credit),
    ("listen", K::Navigation),
    ("listen to this article", K::Navigation),
    ("listen to article", K::Navigation),
    ("listen to this story", K::Navigation),
    ("audio", K::Navigation),
    ("print", K::Share),
    ("print article", K::Share),
    ("save", K::Share),
    ("save article", K::Share),
    ("gift article", K::Share),
    ("gift this article", K::Share),
    ("give this article", K::Share),
    ("sign in", K::Newsletter),
    ("log in", K::Newsletter),
    ("login", K::Newsletter),
    ("register", K::Newsletter),
    ("my account", K::Newsletter),
    ("donate", K::Newsletter),
    ("donate now", K::Newsletter),
    ("donate today", K::Newsletter),
    ("download our app", K::Newsletter),
    ("download the app", K::Newsletter),
    ("get the app", K::Newsletter),
    ("loading", K::Navigation),
    // German, French, Spanish, Italian, Portuguese, Dutch, Swedish, Russian.
    ("anzeige", K::Advertisement),
    ("werbung", K::Advertisement),
    ("publicité", K::Advertisement),
    ("publicidad", K::Advertisement),
    ("pubblicità", K::Advertisement),
    ("publicidade", K::Advertisement),
    ("advertentie", K::Advertisement),
    ("annons", K::Advertisement),
    ("реклама", K::Advertisement),
    ("teilen", K::Share),
    ("artikel teilen", K::Share),
    ("partager", K::Share),
    ("partager cet article", K::Share),
    ("compartir", K::Share),
    ("condividi", K::Share),
    ("compartilhar", K::Share),
    ("partilhar", K::Share),
    ("delen", K::Share),
    ("dela", K::Share),
    ("поделиться", K::Share),
    ("drucken", K::Share),
    ("imprimer", K::Share),
    ("imprimir", K::Share),
    ("stampa", K::Share),
    ("weiterlesen", K::ReadMore),
    ("mehr lesen", K::ReadMore),
    ("lire la suite", K::ReadMore),
    ("leer más", K::ReadMore),
    ("seguir leyendo", K::ReadMore),
    ("leggi di più", K::ReadMore),
    ("continua a leggere", K::ReadMore),
    ("leia mais", K::ReadMore),
    ("continuar lendo", K::ReadMore),
    ("lees meer", K::ReadMore),
    ("läs mer", K::ReadMore),
    ("читать далее", K::ReadMore),
    ("подробнее", K::ReadMore),
    ("newsletter abonnieren", K::Newsletter),
    ("jetzt abonnieren", K::Newsletter),
    ("anmelden", K::Newsletter),
    ("s'abonner", K::Newsletter),
    ("abonnez-vous", K::Newsletter),
    ("se connecter", K::Newsletter),
    ("suscríbete", K::Newsletter),
    ("iniciar sesión", K::Newsletter),
    ("iscriviti", K::Newsletter),
    ("accedi", K::Newsletter),
    ("assine", K::Newsletter),
    ("inloggen", K::Newsletter),
    ("abonneren", K::Newsletter),
    ("logga in", K::Newsletter),
    ("prenumerera", K::Newsletter),
    ("подписаться", K::Newsletter),
    ("войти", K::Newsletter),
    ("startseite", K::Navigation),
    ("nach oben", K::Navigation),
    ("accueil", K::Navigation),
    ("inicio", K::Navigation),
    ("главная", K::Navigation),
];

/// Prefixes of short lines that are clutter, with the longest line (trimmed
/// bytes) each applies to.
const LINE_PREFIX: &[(&str, ClutterKind, usize)] = &[
    ("your email address will not be published", K::Comments, MAX_CLUTTER_LINE),
    ("required fields are marked", K::Comments, SHORT_LINE),
    ("save my name, email, and website", K::Comments, SHORT_LINE),
    ("save my name, email and website", K::Comments, SHORT_LINE),
    ("you must be logged in to post a comment", K::Comments, SHORT_LINE),
    ("notify me of follow-up comments", K::Comments, SHORT_LINE),
    ("notify me of new posts", K::Comments, SHORT_LINE),
    ("notify me of new comments", K::Comments, SHORT_LINE),
    ("this site uses akismet", K::Comments, MAX_CLUTTER_LINE),
    ("comments are closed", K::Comments, SHORT_LINE),
    ("comment *", K::Comments, 16),
    ("name *", K::Comments, 16),
    ("email *", K::Comments, 16),
    ("share on ", K::Share, 60),
    ("share via ", K::Share, 60),
    ("share this on ", K::Share, 60),
    ("share to ", K::Share, 60),
    ("share with ", K::Share, 40),
    ("click to share on ", K::Share, 80),
    ("click to email", K::Share, 80),
    ("click to print", K::Share, 80),
    ("follow us on ", K::Share, 100),
    ("follow us at ", K::Share, 100),
    ("follow us @", K::Share, 100),
    ("sign up for our ", K::Newsletter, MAX_CLUTTER_LINE),
    ("sign up to our ", K::Newsletter, MAX_CLUTTER_LINE),
    ("sign up for the ", K::Newsletter, SHORT_LINE),
    ("subscribe to our ", K::Newsletter, MAX_CLUTTER_LINE),
    ("subscribe to the ", K::Newsletter, SHORT_LINE),
    ("get the latest news delivered", K::Newsletter, SHORT_LINE),
    ("get our newsletter", K::Newsletter, SHORT_LINE),
    ("enter your email", K::Newsletter, SHORT_LINE),
    ("by signing up", K::Newsletter, MAX_CLUTTER_LINE),
    ("by subscribing", K::Newsletter, MAX_CLUTTER_LINE),
    ("thank you for subscribing", K::Newsletter, SHORT_LINE),
    ("thanks for signing up", K::Newsletter, SHORT_LINE),
    ("thanks for subscribing", K::Newsletter, SHORT_LINE),
    ("we use cookies", K::Cookie, MAX_CLUTTER_LINE),
    ("this website uses cookies", K::Cookie, MAX_CLUTTER_LINE),
    ("this site uses cookies", K::Cookie, MAX_CLUTTER_LINE),
    ("our website uses cookies", K::Cookie, MAX_CLUTTER_LINE),
    ("by continuing to use this site", K::Cookie, MAX_CLUTTER_LINE),
    ("by continuing to browse", K::Cookie, MAX_CLUTTER_LINE),
    ("by using this site", K::Cookie, MAX_CLUTTER_LINE),
    ("by using our site", K::Cookie, MAX_CLUTTER_LINE),
    ("continue reading the main story", K::ReadMore, 60),
    ("continue reading ", K::ReadMore, 40),
    ("read more:", K::ReadMore, SHORT_LINE),
    ("read more at", K::ReadMore, SHORT_LINE),
    ("read more about", K::ReadMore, SHORT_LINE),
    ("read more from", K::ReadMore, SHORT_LINE),
    ("read more »", K::ReadMore, 20),
    ("read more ›", K::ReadMore, 20),
    ("read more →", K::ReadMore, 20),
    ("read the full ", K::ReadMore, 60),
    ("click here to ", K::ReadMore, 100),
    ("also read:", K::Related, SHORT_LINE),
    ("read:", K::Related, SHORT_LINE),
    ("more:", K::Related, SHORT_LINE),
    ("watch:", K::Related, SHORT_LINE),
    ("watch live:", K::Related, SHORT_LINE),
    ("video:", K::Related, SHORT_LINE),
    ("listen:", K::Related, SHORT_LINE),
    ("podcast:", K::Related, SHORT_LINE),
    ("gallery:", K::Related, SHORT_LINE),
    ("in pictures:", K::Related, SHORT_LINE),
    ("live updates:", K::Related, SHORT_LINE),
    ("our standards:", K::Navigation, SHORT_LINE),
    ("lesen sie auch", K::Related, SHORT_LINE),
    ("lies auch", K::Related, SHORT_LINE),
    ("mehr zum thema:", K::Related, SHORT_LINE),
    ("lire aussi", K::Related, SHORT_LINE),
    ("à lire aussi", K::Related, SHORT_LINE),
    ("a lire aussi", K::Related, SHORT_LINE),
    ("lee también", K::Related, SHORT_LINE),
    ("lea también", K::Related, SHORT_LINE),
    ("te puede interesar:", K::Related, SHORT_LINE),
    ("leggi anche", K::Related, SHORT_LINE),
    ("leia também", K::Related, SHORT_LINE),
    ("veja também", K::Related, SHORT_LINE),
    ("lees ook", K::Related, SHORT_LINE),
    ("läs också", K::Related, SHORT_LINE),
    ("читайте также", K::Related, SHORT_LINE),
    ("foto: ", K::Credit, SHORT_LINE),
    ("bild: ", K::Credit, SHORT_LINE),
    ("fotografía: ", K::Credit, SHORT_LINE),
    ("crédit photo", K::Credit, SHORT_LINE),
    ("фото: ", K::Credit, SHORT_LINE),
    ("this article was originally published", K::Navigation, SHORT_LINE),
    ("this article originally appeared", K::Navigation, SHORT_LINE),
    ("this article first appeared", K::Navigation, SHORT_LINE),
    ("this story was originally published", K::Navigation, SHORT_LINE),
    ("this story originally appeared", K::Navigation, SHORT_LINE),
    ("this story first appeared", K::Navigation, SHORT_LINE),
    ("a version of this story", K::Navigation, SHORT_LINE),
    ("a version of this article", K::Navigation, SHORT_LINE),
    ("contact the author", K::Byline, SHORT_LINE),
    ("email the author", K::Byline, SHORT_LINE),
    ("please enable javascript", K::Navigation, SHORT_LINE),
    ("enable javascript", K::Navigation, SHORT_LINE),
    ("javascript is disabled", K::Navigation, SHORT_LINE),
    ("you need to enable javascript", K::Navigation, SHORT_LINE),
    ("to view this video please enable javascript", K::Navigation, SHORT_LINE),
    ("see also:", K::Related, SHORT_LINE),
    ("related:", K::Related, SHORT_LINE),
    ("more from ", K::Related, 60),
    ("tags:", K::Navigation, SHORT_LINE),
    ("©", K::Navigation, SHORT_LINE),
    ("copyright ©", K::Navigation, SHORT_LINE),
    ("copyright 1", K::Navigation, SHORT_LINE),
    ("copyright 2", K::Navigation, SHORT_LINE),
    ("(c) 1", K::Navigation, SHORT_LINE),
    ("(c) 2", K::Navigation, SHORT_LINE),
    ("reading time", K::Navigation, 40),
    ("filed under:", K::Navigation, SHORT_LINE),
    ("posted in ", K::Navigation, 80),
    ("categories:", K::Navigation, SHORT_LINE),
    ("topics:", K::Navigation, SHORT_LINE),
    ("photo: ", K::Credit, SHORT_LINE),
    ("photo by ", K::Credit, SHORT_LINE),
    ("photos: ", K::Credit, SHORT_LINE),
    ("photograph: ", K::Credit, SHORT_LINE),
    ("photograph by ", K::Credit, SHORT_LINE),
    ("picture: ", K::Credit, SHORT_LINE),
    ("pictured: ", K::Credit, SHORT_LINE),
    ("image: ", K::Credit, SHORT_LINE),
    ("image source", K::Credit, SHORT_LINE),
    ("image caption", K::Credit, SHORT_LINE),
    ("image copyright", K::Credit, SHORT_LINE),
    ("image credit", K::Credit, SHORT_LINE),
    ("photo credit", K::Credit, SHORT_LINE),
    ("credit: ", K::Credit, SHORT_LINE),
    ("credits: ", K::Credit, SHORT_LINE),
    ("(photo", K::Credit, SHORT_LINE),
    ("(image", K::Credit, SHORT_LINE),
    ("(credit", K::Credit, SHORT_LINE),
    ("(ap photo", K::Credit, SHORT_LINE),
    ("file photo", K::Credit, 80),
];

/// Endings of short lines that are photo credits ("… /Getty Images").
const CREDIT_SUFFIX: &[&str] = &[
    "getty images",
    "via getty images",
    "/getty",
    "/reuters",
    "/ap",
    "/afp",
    "/epa",
    "/shutterstock",
    "/alamy",
    "/pa",
    "/pa wire",
    "(ap photo)",
    "/ap photo",
    "pa media",
];

/// Case-sensitive markers of a caption credit anywhere in a short line.
const CREDIT_MARKERS: &[&str] =
    &["REUTERS/", "AP Photo/", "AFP/", "(Photo by", "Photo by ", "Photograph: ", "/Getty Images"];

/// Words that make up a line of share buttons ("Facebook Twitter Email").
const SOCIAL_WORDS: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "email",
    "e-mail",
    "mail",
    "print",
    "reddit",
    "pinterest",
    "telegram",
    "messenger",
    "share",
    "tweet",
    "pin",
    "copy",
    "link",
    "flipboard",
    "tumblr",
    "pocket",
    "sms",
    "threads",
    "bluesky",
    "instagram",
    "youtube",
    "tiktok",
    "comments",
    "comment",
    "save",
    "gift",
    "article",
];

/// Characters trimmed around a line before matching: white space, bullets,
/// arrows, list and decoration punctuation.
fn is_trim_char(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '•' | '·'
                | '*'
                | '-'
                | '–'
                | '—'
                | '|'
                | '>'
                | '<'
                | '»'
                | '«'
                | '›'
                | '‹'
                | '◦'
                | '▪'
                | '▸'
                | '►'
                | '■'
                | '●'
                | '⁃'
                | ':'
                | '.'
                | '…'
                | '→'
                | '←'
                | '+'
                | '#'
                | '='
                | '_'
                | '~'
                | '['
                | ']'
        )
}

/// Bytes at the start of a line that [`line_clutter`] compares with its
/// lists: more than the longest exact line or prefix.
const MATCHED_HEAD: usize = 64;

/// The first `n` bytes of `s`, or fewer to end on a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

/// `s` itself when it is ASCII (the matchers ignore ASCII case), else its
/// lower-case form.
fn fold_case(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

fn eq_ci(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().eq_ignore_ascii_case(b.as_bytes())
}

/// Indices into [`LINE_PREFIX`] by the lower-cased first byte of the
/// prefix, in list order: a line is compared only with the prefixes that
/// can match it (about 96 per line otherwise, on every line of every
/// article).
static PREFIX_BY_FIRST_BYTE: LazyLock<Vec<Vec<u8>>> =
    LazyLock::new(|| index_by_first_byte(LINE_PREFIX.iter().map(|(p, _, _)| *p)));

/// Indices into [`ACTION_OPENERS`] by first byte, as [`PREFIX_BY_FIRST_BYTE`]
/// (every sentence of every article is compared with them).
static ACTION_BY_FIRST_BYTE: LazyLock<Vec<Vec<u8>>> =
    LazyLock::new(|| index_by_first_byte(ACTION_OPENERS.iter().map(|(p, _, _)| *p)));

/// For each byte, the positions (in list order) of the `words` that start
/// with it, ASCII case folded. Lists are at most 256 long (checked by a test).
fn index_by_first_byte<'a>(words: impl Iterator<Item = &'a str>) -> Vec<Vec<u8>> {
    let mut by_first = vec![Vec::new(); 256];
    for (i, p) in words.enumerate() {
        if let (Some(&b), Ok(i)) = (p.as_bytes().first(), u8::try_from(i)) {
            if let Some(list) = by_first.get_mut(usize::from(b.to_ascii_lowercase())) {
                list.push(i);
            }
        }
    }
    by_first
}

fn starts_ci(a: &str, p: &str) -> bool {
    a.as_bytes().get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
}

fn ends_ci(a: &str, p: &str) -> bool {
    a.len() >= p.len() && a.as_bytes().get(a.len() - p.len()..).is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
}

/// A time stamp alone on its line: one of [`TIMESTAMP_PREFIXES`], a digit,
/// no closing full stop ("Published 11:11 PM EST Nov 19, 2019"; "Published
/// provisions rose 5%." is prose).
fn is_timestamp(lower: &str, core: &str, trimmed: &str) -> bool {
    core.len() <= 60
        && has_digit(core)
        && !trimmed.ends_with('.')
        && TIMESTAMP_PREFIXES.iter().any(|p| starts_ci(lower, p))
}

/// Openers of a time stamp ("Published 11:11 PM EST Nov 19, 2019",
/// "Aktualisiert am 03.03.2024"), lower case.
const TIMESTAMP_PREFIXES: &[&str] = &[
    "published ",
    "published:",
    "first published",
    "updated ",
    "updated:",
    "last updated",
    "last modified",
    "posted on ",
    "posted:",
    "aktualisiert am",
    "veröffentlicht am",
    "stand: ",
    "publié le",
    "mis à jour le",
    "publicado el",
    "actualizado el",
    "pubblicato il",
    "aggiornato il",
    "publicado em",
    "atualizado em",
    "gepubliceerd op",
    "bijgewerkt op",
    "publicerad ",
    "uppdaterad ",
    "опубликовано",
    "обновлено",
];

fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
}

fn contains_ci(a: &str, p: &str) -> bool {
    a.as_bytes().windows(p.len()).any(|w| w.eq_ignore_ascii_case(p.as_bytes()))
}

/// Strips a trailing count such as "(12)" or "12" from a heading.
fn strip_count(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '(' || c == ')')
}

/// Finds the clutter in `text`. Spans are whole lines (without line breaks),
/// sorted and disjoint.
pub fn find_clutter(text: &str) -> Vec<Removed> {
    let out = find_furniture(text);
    with_repeats(text, out)
}

/// Shortest line (trimmed, in bytes) whose repetition marks a copy: short
/// lines ("Share this", a recurring byline) are left to the other rules.
pub const MIN_REPEATED_LINE: usize = 40;

/// Adds to `out` (sorted, not overlapping) the earlier copies of repeated
/// lines. Lines already removed are neither copies nor originals: a teaser
/// of this very article in a "Related" block must not take the lede with it.
/// One sort of the long lines by (length, bytes, position) puts identical
/// lines side by side, so the cost is `O(k log k)` in the number of long
/// lines whatever the input.
fn with_repeats(text: &str, mut out: Vec<Removed>) -> Vec<Removed> {
    let removed = |span: Span| {
        let i = out.partition_point(|r| r.span.end <= span.start);
        out.get(i).is_some_and(|r| r.span.start < span.end)
    };
    let mut long: Vec<Span> = Vec::new();
    let mut offset = 0usize;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.len() < MIN_REPEATED_LINE {
            continue;
        }
        let start = line_start + (line.len() - line.trim_start().len());
        let span = Span::new(start, start + trimmed.len());
        if !removed(span) {
            long.push(span);
        }
    }
    if long.len() < 2 {
        return out;
    }
    long.sort_unstable_by(|a, b| {
        let len = |s: &Span| s.end - s.start;
        len(a).cmp(&len(b)).then_with(|| a.slice(text).cmp(b.slice(text))).then(a.start.cmp(&b.start))
    });
    let mut added = false;
    for pair in long.windows(2) {
        if let [a, b] = pair {
            if a.slice(text) == b.slice(text) {
                // `a` comes before `b` in the text: the earlier copy goes.
                out.push(Removed { span: *a, kind: K::Repeated });
                added = true;
            }
        }
    }
    normalise(out, added)
}

/// The line, teaser and section rules of [`find_clutter`].
fn find_furniture(text: &str) -> Vec<Removed> {
    let mut out: Vec<Removed> = Vec::new();
    let total = text.len();
    let mut offset = 0usize;
    // The last two non-empty lines not yet removed: (span, trimmed core).
    let mut prev: [Option<Span>; 2] = [None, None];
    let mut unsorted = false;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let content_start = line_start + (line.len() - line.trim_start().len());
        let content_end = content_start + trimmed.len();
        let span = Span::new(content_start, content_end);
        if trimmed.len() > MAX_CLUTTER_LINE {
            prev = [prev[1], Some(span)];
            continue;
        }
        let core = trimmed.trim_matches(is_trim_char);
        if core.is_empty() {
            // Only bullets or punctuation: a navigation remnant.
            out.push(Removed { span, kind: K::Navigation });
            continue;
        }
        // A heading that opens trailing furniture.
        if core.len() <= MAX_HEADING {
            if let Some(kind) = section_heading(core) {
                if content_start * 3 >= total {
                    let end = section_end(text, content_end);
                    out.push(Removed { span: Span::new(content_start, end), kind });
                    // Resume after the block (usually the end of the text).
                    return finish(text, out, end, unsorted);
                }
            }
        }
        if let Some(kind) = line_clutter(core, trimmed) {
            if kind == K::ReadMore && core.len() <= 40 {
                // Teaser lines before a "Continue reading" link.
                unsorted |= drop_teasers(text, &mut prev, &mut out);
            }
            out.push(Removed { span, kind });
            continue;
        }
        prev = [prev[1], Some(span)];
    }
    normalise(out, unsorted)
}

/// Continues [`find_clutter`] after a section block ending at `from`: only
/// line rules apply to what follows.
fn finish(text: &str, mut out: Vec<Removed>, from: usize, unsorted: bool) -> Vec<Removed> {
    let Some(rest) = text.get(from..).filter(|r| !r.trim().is_empty()) else {
        return normalise(out, unsorted);
    };
    let mut more = find_furniture(rest);
    for r in &mut more {
        r.span = Span::new(r.span.start + from, r.span.end + from);
    }
    out.extend(more);
    normalise(out, true)
}

fn normalise(mut out: Vec<Removed>, unsorted: bool) -> Vec<Removed> {
    if unsorted {
        out.sort_by_key(|r| (r.span.start, r.span.end));
        out.dedup_by(|b, a| {
            if b.span.start < a.span.end {
                a.span.end = a.span.end.max(b.span.end);
                true
            } else {
                false
            }
        });
    }
    out
}

/// Marks the teaser before a read-more link: the previous line when it is a
/// truncated paragraph ("…"), and the headline before it. Returns whether
/// anything was added (out of order).
fn drop_teasers(text: &str, prev: &mut [Option<Span>; 2], out: &mut Vec<Removed>) -> bool {
    let Some(last) = prev[1] else {
        return false;
    };
    let last_text = last.slice(text);
    let truncated = last_text.ends_with('…') || last_text.ends_with("...") || last_text.ends_with("…]");
    if !truncated {
        return false;
    }
    out.push(Removed { span: last, kind: K::Related });
    if let Some(head) = prev[0] {
        let h = head.slice(text);
        if h.len() <= SHORT_LINE && !h.ends_with(['.', '!', '?', '"', '”']) {
            out.push(Removed { span: head, kind: K::Related });
        }
    }
    *prev = [None, None];
    true
}

/// End of a trailing section that starts before `from`: the end of the text,
/// or the end of the last line before a line of real prose.
fn section_end(text: &str, from: usize) -> usize {
    let mut offset = from;
    let mut end = from;
    let Some(rest) = text.get(from..) else {
        return from;
    };
    for raw in rest.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let is_teaser = trimmed.ends_with('…') || trimmed.ends_with("...");
        if trimmed.len() > PROSE_LINE && !is_teaser {
            break;
        }
        end = line_start + (line.len() - line.trim_start().len()) + trimmed.len();
    }
    end
}

fn section_heading(core: &str) -> Option<ClutterKind> {
    let folded = fold_case(core);
    let f = strip_count(&folded);
    SECTION_HEADINGS.iter().find(|(h, _)| eq_ci(f, h)).map(|(_, k)| *k)
}

/// The kind of clutter a single line is, if any. `core` is the line with
/// decoration trimmed, `trimmed` with white space only trimmed.
fn line_clutter(core: &str, trimmed: &str) -> Option<ClutterKind> {
    // The word lists are lower case; ASCII lines compare ignoring ASCII case
    // without a copy, other short lines are lower-cased once ("À lire
    // aussi", "Читайте также").
    // Only the line's head is compared (no prefix is longer), so only the
    // head is folded.
    let folded = fold_case(head(core, MATCHED_HEAD));
    let lower: &str = &folded;
    if core.len() <= 48 {
        let f = strip_count(lower);
        if let Some((_, k)) = LINE_EXACT.iter().find(|(p, _)| eq_ci(f, p) || eq_ci(lower, p)) {
            return Some(*k);
        }
    }
    // Only the prefixes that start with the line's first byte can match;
    // they are tried in list order, so the first match is the same.
    let first = lower.as_bytes().first().map(u8::to_ascii_lowercase);
    let candidates = first.and_then(|b| PREFIX_BY_FIRST_BYTE.get(usize::from(b))).map_or(&[][..], Vec::as_slice);
    for (p, k, max) in candidates.iter().filter_map(|&i| LINE_PREFIX.get(usize::from(i))) {
        if core.len() <= *max && starts_ci(lower, p) {
            return Some(*k);
        }
    }
    if is_timestamp(lower, core, trimmed) {
        return Some(K::Navigation);
    }
    if core.len() <= SHORT_LINE {
        let credit = CREDIT_SUFFIX.iter().any(|s| ends_ci(core, s))
            || CREDIT_MARKERS.iter().any(|m| core.contains(m) && core.len() <= SHORT_LINE);
        if credit && !ends_sentence(trimmed) {
            return Some(K::Credit);
        }
        if is_social_line(core) {
            return Some(K::Share);
        }
        if is_breadcrumb(core) {
            return Some(K::Navigation);
        }
        if is_follow_prompt(core) {
            return Some(K::Share);
        }
        if is_byline(core, trimmed) || is_credit_trailer(core, trimmed) {
            return Some(K::Byline);
        }
        if is_reading_time(core) {
            return Some(K::Navigation);
        }
        if core.len() <= 100 && (contains_ci(core, "all rights reserved") || ends_ci(core, " min read")) {
            return Some(K::Navigation);
        }
    }
    None
}

/// Whether a line ends like a sentence of prose.
fn ends_sentence(trimmed: &str) -> bool {
    trimmed.ends_with(['.', '!', '?', '"', '”']) && trimmed.split_whitespace().count() > 8
}

/// A line made only of share-button words ("Facebook Twitter Email").
fn is_social_line(core: &str) -> bool {
    if core.len() > 100 {
        return false;
    }
    let mut n = 0;
    for w in core.split(|c: char| c.is_whitespace() || matches!(c, '|' | '/' | ',' | '·' | '•')) {
        if w.is_empty() {
            continue;
        }
        if !SOCIAL_WORDS.iter().any(|s| eq_ci(w, s)) {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// "Home › News › World": short items between at least two separators,
/// each separator with spaces around it.
fn is_breadcrumb(core: &str) -> bool {
    if core.len() > 120 || core.ends_with(['.', '!', '?']) {
        return false;
    }
    for sep in [" › ", " » ", " > ", " / ", " | ", " → "] {
        let mut n = 0;
        let mut ok = true;
        for item in core.split(sep) {
            let item = item.trim();
            let words = item.split_whitespace().count();
            if item.is_empty() || words > 4 || item.bytes().any(|b| b.is_ascii_digit()) {
                ok = false;
                break;
            }
            n += 1;
        }
        if ok && n >= 3 {
            return true;
        }
    }
    false
}

/// "Follow Jane Doe on Twitter", "Follow @handle".
fn is_follow_prompt(core: &str) -> bool {
    if core.len() > 100 || !starts_ci(core, "follow ") {
        return false;
    }
    let on = [" on twitter", " on x", " on facebook", " on instagram", " on linkedin", " on threads", " on bluesky"];
    starts_ci(core, "follow @") || on.iter().any(|s| ends_ci(core, s))
}

/// Words that open a byline, by language ("By", "Von", "Par", "Por", "Di",
/// "Door", "Av", "Af").
const BYLINE_OPENERS: &[&str] = &["by ", "von ", "par ", "por ", "di ", "door ", "av ", "af "];

/// Words a byline may hold besides names: joining words, name particles and
/// the roles and desks that follow a name ("By Jane Doe and John Roe, staff
/// writers", "By Ana da Silva for MailOnline").
const BYLINE_WORDS: &[&str] = &[
    "and",
    "&",
    "with",
    "for",
    "in",
    "at",
    "of",
    "the",
    "und",
    "et",
    "y",
    "e",
    "en",
    "og",
    "och",
    "da",
    "de",
    "del",
    "della",
    "di",
    "do",
    "dos",
    "du",
    "la",
    "le",
    "van",
    "von",
    "der",
    "den",
    "ten",
    "ter",
    "bin",
    "al",
    "el",
    "staff",
    "reporter",
    "reporters",
    "writer",
    "writers",
    "correspondent",
    "correspondents",
    "editor",
    "editors",
    "contributor",
    "columnist",
    "senior",
    "chief",
    "political",
    "business",
    "foreign",
    "health",
    "science",
    "technology",
    "sports",
    "sport",
];

/// A line that is only an author's byline: "By Jane Doe", "By JANE DOE |
/// Reuters", "By Jane Doe and John Roe, staff writers". After the opener
/// every word is a name (capitalised) or one of [`BYLINE_WORDS`], at least
/// one is a name, and there is no digit and no closing full stop, so prose
/// that opens with "By" stays: "By early 2005 the net…", "By 2025, 40% of…",
/// "By Monday, the council had agreed."
fn is_byline(core: &str, trimmed: &str) -> bool {
    if core.len() > 100 || has_digit(core) || trimmed.ends_with(['.', '!', '?', '"', '”']) {
        return false;
    }
    BYLINE_OPENERS.iter().find(|o| starts_ci(core, o)).and_then(|o| core.get(o.len()..)).is_some_and(names_only)
}

/// Whether the words after a byline's opener ("Jane Doe and John Roe, staff
/// writers") are only names (capitalised) and [`BYLINE_WORDS`], with at
/// least one name and at most ten words.
fn names_only(rest: &str) -> bool {
    let (mut names, mut words) = (0usize, 0usize);
    for w in rest.split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '/' | '·' | '•' | '(' | ')')) {
        if w.is_empty() {
            continue;
        }
        words += 1;
        if BYLINE_WORDS.iter().any(|b| eq_ci(w, b)) {
            continue;
        }
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        names += 1;
    }
    names >= 1 && words <= 10
}

/// Openers of an agency's credit line ("Reporting by Jane Doe; Editing by
/// John Roe").
const TRAILER_OPENERS: &[&str] =
    &["reporting by ", "additional reporting by ", "writing by ", "editing by ", "compiled by ", "reported by "];

/// A credit line that closes agency copy: "Reporting by Jane Doe in London;
/// Editing by John Roe". Prose can open the same way ("Reporting by the
/// paper found that…"), so the line must name an editor or writer after a
/// semicolon, or carry no closing full stop and no lower-case word but the
/// joining ones.
fn is_credit_trailer(core: &str, trimmed: &str) -> bool {
    if !TRAILER_OPENERS.iter().any(|o| starts_ci(core, o)) {
        return false;
    }
    if contains_ci(core, "; editing by")
        || contains_ci(core, "; writing by")
        || contains_ci(core, "; additional reporting by")
    {
        return true;
    }
    if has_digit(core) || trimmed.ends_with(['.', '!', '?', '"', '”']) {
        return false;
    }
    core.find(" by ").and_then(|i| core.get(i + 4..)).is_some_and(names_only)
}

/// A reading or listening time left alone on its line: "5 min", "4 min
/// read", "12 minutes", "3 min listen".
fn is_reading_time(core: &str) -> bool {
    if core.len() > 24 {
        return false;
    }
    let mut words = core.split_whitespace();
    let (Some(n), Some(unit)) = (words.next(), words.next()) else { return false };
    let rest: Vec<&str> = words.collect();
    n.bytes().all(|b| b.is_ascii_digit())
        && ["min", "mins", "minute", "minutes"].iter().any(|u| eq_ci(unit, u))
        && (rest.is_empty() || (rest.len() == 1 && rest.iter().all(|w| eq_ci(w, "read") || eq_ci(w, "listen"))))
}

/// Openers of a sentence that is a call to action even inside a paragraph of
/// prose ("… that came from. Sign up for our daily newsletter."), with
/// whether the sentence must also name an inbox ("sign up for the …" can be
/// news: "Sign up for the draft closes on Friday").
const ACTION_OPENERS: &[(&str, ClutterKind, bool)] = &[
    ("sign up for our ", ClutterKind::Newsletter, false),
    ("sign up to our ", ClutterKind::Newsletter, false),
    ("subscribe to our ", ClutterKind::Newsletter, false),
    ("sign up for the ", ClutterKind::Newsletter, true),
    ("sign up to the ", ClutterKind::Newsletter, true),
    ("subscribe to the ", ClutterKind::Newsletter, true),
    ("get our ", ClutterKind::Newsletter, true),
    ("click here to ", ClutterKind::ReadMore, false),
    ("click here for ", ClutterKind::ReadMore, false),
    ("follow us on ", ClutterKind::Share, false),
    ("like us on facebook", ClutterKind::Share, false),
    ("get the latest ", ClutterKind::Newsletter, true),
    ("support our journalism", ClutterKind::Newsletter, false),
    ("support independent journalism", ClutterKind::Newsletter, false),
    ("donate today", ClutterKind::Newsletter, false),
    ("donate now", ClutterKind::Newsletter, false),
    ("download our app", ClutterKind::Newsletter, false),
    ("abonnieren sie unseren ", ClutterKind::Newsletter, false),
    ("abonniere unseren ", ClutterKind::Newsletter, false),
    ("abonnez-vous à notre ", ClutterKind::Newsletter, false),
    ("inscrivez-vous à notre ", ClutterKind::Newsletter, false),
    ("suscríbete a nuestro ", ClutterKind::Newsletter, false),
    ("suscríbase a nuestro ", ClutterKind::Newsletter, false),
    ("iscriviti alla nostra ", ClutterKind::Newsletter, false),
    ("assine a nossa ", ClutterKind::Newsletter, false),
    ("abonneer je op onze ", ClutterKind::Newsletter, false),
    ("prenumerera på vårt ", ClutterKind::Newsletter, false),
    ("подпишитесь на наш ", ClutterKind::Newsletter, false),
    ("folgen sie uns auf ", ClutterKind::Share, false),
    ("suivez-nous sur ", ClutterKind::Share, false),
    ("síguenos en ", ClutterKind::Share, false),
    ("seguici su ", ClutterKind::Share, false),
    ("siga-nos no ", ClutterKind::Share, false),
];

/// Words that make a "sign up for the …" sentence a newsletter prompt.
const INBOX_WORDS: &[&str] = &["newsletter", "inbox", "email", "e-mail"];

/// The kind of call to action `sentence` is, if it is one: a short sentence
/// opening with an [`ACTION_OPENERS`] prompt. Line rules catch prompts on
/// lines of their own; this catches the one a page appends to its last
/// paragraph. Long sentences are prose.
pub fn call_to_action(sentence: &str) -> Option<ClutterKind> {
    let core = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    if core.len() > SHORT_LINE {
        return None;
    }
    let folded = fold_case(head(core, MATCHED_HEAD));
    let lower: &str = &folded;
    let first = lower.as_bytes().first().map(u8::to_ascii_lowercase);
    let candidates = first.and_then(|b| ACTION_BY_FIRST_BYTE.get(usize::from(b))).map_or(&[][..], Vec::as_slice);
    candidates.iter().filter_map(|&i| ACTION_OPENERS.get(usize::from(i))).find_map(|&(opener, kind, needs_inbox)| {
        (starts_ci(lower, opener) && (!needs_inbox || INBOX_WORDS.iter().any(|w| contains_ci(core, w)))).then_some(kind)
    })
}

/// The parts of `text` left after removing `removed` (sorted, disjoint).
pub fn kept_regions(text_len: usize, removed: &[Removed]) -> Vec<Span> {
    let mut out = Vec::with_capacity(removed.len() + 1);
    let mut cur = 0usize;
    for r in removed {
        if r.span.start > cur {
            out.push(Span::new(cur, r.span.start));
        }
        cur = cur.max(r.span.end);
    }
    if cur < text_len {
        out.push(Span::new(cur, text_len));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_line_fits_in_the_compared_head() {
        // Lower-casing can lengthen a character, so keep a margin.
        for (p, _, _) in LINE_PREFIX {
            assert!(p.len() + 8 <= MATCHED_HEAD, "{p}");
        }
        for (p, _) in LINE_EXACT {
            assert!(p.len() <= 48, "{p}");
        }
        for (p, _, _) in ACTION_OPENERS {
            assert!(p.len() + 8 <= MATCHED_HEAD, "{p}");
        }
        assert!(ACTION_OPENERS.len() <= 256);
        assert_eq!(ACTION_BY_FIRST_BYTE.iter().map(Vec::len).sum::<usize>(), ACTION_OPENERS.len());
    }

    #[test]
    fn every_line_prefix_is_indexed_once_by_its_first_byte() {
        assert!(LINE_PREFIX.len() <= 256 && LINE_PREFIX.iter().all(|(p, _, _)| !p.is_empty()));
        let indexed: usize = PREFIX_BY_FIRST_BYTE.iter().map(Vec::len).sum();
        assert_eq!(indexed, LINE_PREFIX.len());
        for (i, (p, _, _)) in LINE_PREFIX.iter().enumerate() {
            let b = p.as_bytes()[0].to_ascii_lowercase();
            assert!(PREFIX_BY_FIRST_BYTE[usize::from(b)].contains(&(i as u8)), "{p}");
        }
    }

    fn kinds(text: &str) -> Vec<ClutterKind> {
        find_clutter(text).iter().map(|r| r.kind).collect()
    }

    #[test]
    fn drops_the_earlier_copy_of_a_repeated_paragraph() {
        let quote = "She added that an appeal against the decision could be made to the attorney general.";
        let text = format!(
            "Highlights\n\n{quote}\n\nSweden has dropped its investigation into the allegation.\n\n\
             The prosecutor said the evidence had weakened over time.\n\n  {quote}  \n\nShare this\nShare this\n"
        );
        let removed = find_clutter(&text);
        let repeats: Vec<&Removed> = removed.iter().filter(|r| r.kind == ClutterKind::Repeated).collect();
        assert_eq!(repeats.len(), 1, "{removed:?}");
        let first = text.find(quote).unwrap_or(usize::MAX);
        assert_eq!(repeats[0].span, Span::new(first, first + quote.len()));
        // Short repeated lines are the other rules' business.
        assert!(!removed.iter().any(|r| r.span.slice(&text) == "Share this" && r.kind == ClutterKind::Repeated));
    }

    #[test]
    fn a_copy_inside_removed_furniture_does_not_take_the_original() {
        let lede = "The council voted on Tuesday to close the bridge, citing safety, cost and traffic.";
        let text = format!(
            "{lede}\n\nRepairs will start in spring, officials said, and will last a year or more.\n\n\
             Residents welcomed the decision at a meeting on Tuesday evening, officials said.\n\n\
             Related Posts\n\n{lede}\n\nAnother story about a different bridge somewhere else\n"
        );
        let removed = find_clutter(&text);
        assert!(removed.iter().all(|r| r.kind == ClutterKind::Related), "{removed:?}");
        assert!(removed.iter().all(|r| r.span.start > lede.len()), "{removed:?}");
    }

    #[test]
    fn many_identical_lines_cost_a_sort() {
        let line = "The same long line of text repeated over and over again in a page.\n";
        let text = line.repeat(20_000);
        let removed = find_clutter(&text);
        // Every copy but the last goes, merged into spans that do not overlap.
        let kept = kept_regions(text.len(), &removed);
        let kept_text: String = kept.iter().map(|s| s.slice(&text)).collect();
        assert_eq!(kept_text.matches("The same long line").count(), 1);
    }

    #[test]
    fn drops_trailing_related_block() {
        let text = "Title\n\nFirst paragraph of the story, long enough to be real content here.\nSecond paragraph with more facts and figures about the topic.\n  • Related Posts\n\n    Teaser headline\n\n    Continue reading\n\n    Leave a Reply\n";
        let removed = find_clutter(text);
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].kind, ClutterKind::Related);
        assert!(removed[0].span.slice(text).starts_with("• Related Posts"));
        assert!(removed[0].span.slice(text).ends_with("Leave a Reply"));
    }

    #[test]
    fn drops_bylines_not_prose_that_opens_with_by() {
        let bylines = [
            "By Jane Doe",
            "By JANE DOE and JOHN ROE | Reuters",
            "By Jane Doe, Senior Correspondent",
            "By Ana da Silva for MailOnline",
            "By Jane Doe and John Roe, staff writers",
            "Von Anna Schmidt",
            "Par Jean Dupont",
        ];
        for b in bylines {
            let text = format!("{b}\nThe council voted on Tuesday to close the bridge.\n");
            assert_eq!(kinds(&text), [ClutterKind::Byline], "{b}");
        }
        let prose = [
            "By early 2005 the net could have two new domain names.",
            "By 2025, 40% of the UK's population will still be without internet access at home, says a study.",
            "By playing games, like pass-the-parcel, a team is finding out how robots should behave",
            "By Monday, the council had agreed.",
            "By Monday the council",
            "Par ailleurs, le gouvernement a annoncé une réforme",
            "Von den 20 Teilnehmern kamen nur drei an",
        ];
        for p in prose {
            assert!(kinds(p).is_empty(), "{p}");
        }
    }

    #[test]
    fn drops_agency_credit_lines_media_links_and_page_prompts() {
        let text =
            "Listen to this article\n5 min\nThe Senate passed the aid bill on Tuesday, sending it to the House.\n\
                    WATCH: Senate passes foreign aid bill after months of delay\n\
                    Reporting by Jane Doe and John Roe; Editing by Bill Berkrot\n\
                    Additional reporting by Joseph Hudak\n\
                    Our Standards: The Thomson Reuters Trust Principles.\n\
                    This article was originally published on The Conversation.\n\
                    Gift this article\nSign in\nLoading...\nPlease enable JavaScript to view the comments.\n";
        let got: Vec<(ClutterKind, &str)> = find_clutter(text).iter().map(|r| (r.kind, r.span.slice(text))).collect();
        assert_eq!(
            got,
            [
                (K::Navigation, "Listen to this article"),
                (K::Navigation, "5 min"),
                (K::Related, "WATCH: Senate passes foreign aid bill after months of delay"),
                (K::Byline, "Reporting by Jane Doe and John Roe; Editing by Bill Berkrot"),
                (K::Byline, "Additional reporting by Joseph Hudak"),
                (K::Navigation, "Our Standards: The Thomson Reuters Trust Principles."),
                (K::Navigation, "This article was originally published on The Conversation."),
                (K::Share, "Gift this article"),
                (K::Newsletter, "Sign in"),
                (K::Navigation, "Loading..."),
                (K::Navigation, "Please enable JavaScript to view the comments."),
            ]
        );
        // Prose that opens the same way stays.
        for p in [
            "Reporting by the paper found that the council had known for years.",
            "Reporting by local media suggested the talks had stalled",
            "5 minutes later the police arrived at the scene of the crash",
        ] {
            assert!(kinds(p).is_empty(), "{p}");
        }
    }

    #[test]
    fn drops_furniture_in_other_languages() {
        let lines = [
            ("Anzeige", K::Advertisement),
            ("Artikel teilen", K::Share),
            ("Von Anna Schmidt", K::Byline),
            ("Aktualisiert am 03.03.2024, 10:15 Uhr", K::Navigation),
            ("Lesen Sie auch: Streit um Wasserpreise eskaliert", K::Related),
            ("Foto: dpa", K::Credit),
            ("Publicité", K::Advertisement),
            ("PUBLICITÉ", K::Advertisement),
            ("À lire aussi : La ville face à une nouvelle plainte", K::Related),
            ("Publié le 3 mars 2024 à 10h15", K::Navigation),
            ("Lee también: El Gobierno aprueba la reforma", K::Related),
            ("Leggi di più", K::ReadMore),
            ("Leia também: Governo anuncia pacote", K::Related),
            ("Läs också: Regeringen höjer skatten", K::Related),
            ("Читайте также: Правительство одобрило реформу", K::Related),
            ("Реклама", K::Advertisement),
        ];
        for (line, kind) in lines {
            let text = format!("{line}\nDer Bundestag hat am Dienstag ein Milliardenpaket beschlossen.\n");
            assert_eq!(kinds(&text), [kind], "{line}");
        }
        for p in [
            "Teilen Sie uns Ihre Meinung zu diesem Thema gerne in den Kommentaren mit",
            "Anzeige erstattet hat bislang niemand",
            "Partager le pouvoir est devenu impossible pour le gouvernement",
            "Publié le rapport, le ministre a démissionné.",
        ] {
            assert!(kinds(p).is_empty(), "{p}");
        }
        // A trailing section opens on a heading in another language too.
        let text = "Le conseil municipal a approuvé mardi un plan pour reconstruire le réseau d'eau.\n\
                    Les critiques estiment que le plan pourrait augmenter les factures.\n\
                    Les travaux commenceront cet été dans les quartiers les plus touchés.\n\
                    Sur le même sujet\nLes prix de l'eau augmentent\n";
        assert_eq!(kinds(text), [K::Related]);
    }

    #[test]
    fn drops_time_stamps_with_a_colon() {
        let text = "Updated: March 3, 2024 10:15 a.m. ET\nPublished: 11:11 PM EST Nov 19, 2019\nThe court ruled.\n\
                    Updated: the court ruled on appeal\n";
        let got: Vec<&str> = find_clutter(text).iter().map(|r| r.span.slice(text)).collect();
        assert_eq!(got, ["Updated: March 3, 2024 10:15 a.m. ET", "Published: 11:11 PM EST Nov 19, 2019"]);
    }

    #[test]
    fn drops_lone_lines() {
        let text = "Story text.\nAdvertisement\nMore story text.\nShare on Facebook\n";
        assert_eq!(kinds(text), [ClutterKind::Advertisement, ClutterKind::Share]);
    }

    #[test]
    fn drops_teasers_before_read_more() {
        let text = "Real opening sentence of the story.\n\nAnother story headline\nThe first words of another story that stop in the middle…\nContinue reading\n\nThe story goes on here.";
        let removed = find_clutter(text);
        let got: Vec<&str> = removed.iter().map(|r| r.span.slice(text)).collect();
        assert_eq!(
            got,
            ["Another story headline", "The first words of another story that stop in the middle…", "Continue reading"]
        );
    }

    #[test]
    fn section_stops_before_prose() {
        let prose = "Real reporting continues the story here, with detail and figures. ".repeat(5);
        let prose = prose.trim_end();
        assert!(prose.len() > PROSE_LINE);
        // Three different paragraphs (identical ones would be copies).
        let text = format!("First. {prose}\nSecond. {prose}\nRelated\nA teaser headline\nThird. {prose}\n");
        let removed = find_clutter(&text);
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].span.slice(&text), "Related\nA teaser headline");
    }

    #[test]
    fn credits_share_lines_and_breadcrumbs() {
        let text = "Home › News › World\nThe minister spoke on Monday.\nPhoto: John Smith/Reuters\nA crowd gathered. REUTERS/Jane Doe\nFacebook Twitter Email\nFollow Jane Doe on Twitter\nThe talks went on.";
        assert_eq!(
            kinds(text),
            [ClutterKind::Navigation, ClutterKind::Credit, ClutterKind::Credit, ClutterKind::Share, ClutterKind::Share]
        );
    }

    #[test]
    fn copyright_and_timestamps() {
        let text = "Published 11:11 PM EST Nov 19, 2019\nThe court ruled on Friday.\nPublished provisions rose 5% to 736 mln marks.\n© 2019 Sky UK\nNov 19, 2019 at 6:46 pm ET • 2 min read";
        let got: Vec<&str> = find_clutter(text).iter().map(|r| r.span.slice(text)).collect();
        assert_eq!(
            got,
            ["Published 11:11 PM EST Nov 19, 2019", "© 2019 Sky UK", "Nov 19, 2019 at 6:46 pm ET • 2 min read"]
        );
    }

    #[test]
    fn keeps_prose_that_mentions_clutter_words() {
        let text = "Share prices fell sharply on Monday.\nRelated shares in Asia rose.\nComments from the minister were welcomed by investors.\nHome sales rose 3% in March.\nFollow the money, the report said.";
        assert!(find_clutter(text).is_empty());
    }
}
