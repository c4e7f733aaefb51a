//! The faithfulness guard: sentences that lean on the one before them.
//!
//! An extract that starts "He said the deal was off" or "However, prices
//! rose" misleads: the reader cannot tell who "he" is or what is being
//! contrasted. A sentence that opens with a personal or demonstrative pronoun,
//! a discourse connective, or a definite description that names an entity
//! already introduced ("The company …") is treated as dependent on the
//! sentence before it. The selector then brings that sentence along when the
//! budget allows, or skips the dependent one.
//!
//! Each language precis analyses has its own openers ("Er sagte …",
//! "Cependant, …", "Однако …", "同社は…"); text in a language without a list
//! uses the English one. Words that are as often expletive or an article as
//! a reference ("Es gibt", "Das", "Det", "Het") are left out: a missed
//! dependency costs a less readable extract, a false one a worse summary.

use super::super::lang::Lang;

/// Openers (lower-case, whole words) that make an English sentence refer back.
const EN: &[&str] = &[
    // Personal and possessive pronouns.
    "he",
    "she",
    "it",
    "they",
    "him",
    "them",
    "his",
    "her",
    "its",
    "their",
    // Demonstratives.
    "this",
    "these",
    "those",
    "that",
    "such",
    // Connectives that contrast with, add to or conclude from what came before.
    "however",
    "but",
    "and",
    "also",
    "meanwhile",
    "moreover",
    "furthermore",
    "therefore",
    "thus",
    "hence",
    "still",
    "yet",
    "instead",
    "nevertheless",
    "nonetheless",
    "besides",
    "then",
    "so",
    "otherwise",
    "likewise",
    "similarly",
    "in addition",
    "as a result",
    "by contrast",
    "in contrast",
    "on the other hand",
    // Definite descriptions standing for an entity named just before.
    "the company",
    "the firm",
    "the group",
    "the club",
    "the couple",
    "the pair",
];

const DE: &[&str] = &[
    "er",
    "sie",
    "ihr",
    "ihre",
    "ihrem",
    "ihren",
    "ihrer",
    "sein",
    "seine",
    "seinem",
    "seinen",
    "seiner",
    "dies",
    "diese",
    "dieser",
    "dieses",
    "diesem",
    "diesen",
    "jedoch",
    "aber",
    "allerdings",
    "außerdem",
    "zudem",
    "deshalb",
    "daher",
    "deswegen",
    "trotzdem",
    "dennoch",
    "doch",
    "dabei",
    "darüber hinaus",
    "ebenso",
    "stattdessen",
    "somit",
    "folglich",
    "das unternehmen",
    "der konzern",
    "die firma",
    "die gruppe",
    "der verein",
];

const FR: &[&str] = &[
    "il",
    "elle",
    "ils",
    "elles",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "ce",
    "cet",
    "cette",
    "ces",
    "cela",
    "ceci",
    "mais",
    "cependant",
    "toutefois",
    "pourtant",
    "néanmoins",
    "en outre",
    "de plus",
    "par ailleurs",
    "ainsi",
    "donc",
    "alors",
    "aussi",
    "en revanche",
    "par conséquent",
    "l'entreprise",
    "la société",
    "le groupe",
    "le club",
];

const ES: &[&str] = &[
    "él",
    "ella",
    "ellos",
    "ellas",
    "su",
    "sus",
    "este",
    "esta",
    "estos",
    "estas",
    "esto",
    "ese",
    "esa",
    "esos",
    "esas",
    "eso",
    "sin embargo",
    "pero",
    "además",
    "no obstante",
    "por lo tanto",
    "por ello",
    "por eso",
    "así",
    "también",
    "asimismo",
    "en cambio",
    "la empresa",
    "la compañía",
    "el grupo",
    "el club",
];

const IT: &[&str] = &[
    "lui",
    "lei",
    "loro",
    "egli",
    "essi",
    "esse",
    "suo",
    "sua",
    "suoi",
    "sue",
    "questo",
    "questa",
    "questi",
    "queste",
    "ciò",
    "tuttavia",
    "ma",
    "però",
    "inoltre",
    "quindi",
    "dunque",
    "anche",
    "invece",
    "pertanto",
    "l'azienda",
    "la società",
    "il gruppo",
    "il club",
];

const PT: &[&str] = &[
    "ele",
    "ela",
    "eles",
    "elas",
    "seu",
    "sua",
    "seus",
    "suas",
    "este",
    "esta",
    "estes",
    "estas",
    "isto",
    "esse",
    "essa",
    "esses",
    "essas",
    "isso",
    "porém",
    "mas",
    "contudo",
    "entretanto",
    "além disso",
    "no entanto",
    "portanto",
    "também",
    "assim",
    "a empresa",
    "a companhia",
    "o grupo",
    "o clube",
];

const NL: &[&str] = &[
    "hij",
    "zij",
    "ze",
    "haar",
    "hun",
    "zijn",
    "dit",
    "deze",
    "dat",
    "die",
    "maar",
    "echter",
    "bovendien",
    "daarom",
    "toch",
    "ook",
    "daarnaast",
    "daardoor",
    "dus",
    "het bedrijf",
    "het concern",
    "de onderneming",
    "de club",
];

const RU: &[&str] = &[
    "он",
    "она",
    "оно",
    "они",
    "его",
    "её",
    "ее",
    "их",
    "это",
    "этот",
    "эта",
    "эти",
    "этим",
    "этом",
    "такой",
    "такие",
    "однако",
    "но",
    "также",
    "кроме того",
    "поэтому",
    "тем не менее",
    "при этом",
    "впрочем",
    "зато",
    "а также",
];

const SV: &[&str] = &[
    "han",
    "hon",
    "de",
    "hans",
    "hennes",
    "deras",
    "denna",
    "detta",
    "dessa",
    "men",
    "dock",
    "också",
    "därför",
    "dessutom",
    "samtidigt",
    "även",
    "bolaget",
    "företaget",
    "koncernen",
    "klubben",
];

/// Chinese and Japanese have no spaces: their openers match as prefixes.
const ZH: &[&str] =
    &["他", "她", "它", "这", "该", "此外", "但", "然而", "不过", "因此", "所以", "同时", "而且", "另外"];

const JA: &[&str] = &[
    "彼は",
    "彼女は",
    "彼ら",
    "これは",
    "これに",
    "それは",
    "この",
    "その",
    "同社",
    "同氏",
    "しかし",
    "だが",
    "ただ",
    "また",
    "さらに",
    "そのため",
    "このため",
    "一方",
];

const KO: &[&str] = &[
    "그는",
    "그녀는",
    "그들은",
    "이는",
    "이에",
    "이 회사는",
    "하지만",
    "그러나",
    "그런데",
    "또한",
    "따라서",
    "그래서",
    "한편",
    "이어",
];

const AR: &[&str] =
    &["لكن", "ولكن", "غير أن", "إلا أن", "ومع ذلك", "كما", "لذلك", "هذا", "هذه", "ذلك", "وأضاف", "وتابع", "وأشار"];

const TH: &[&str] = &["อย่างไรก็ตาม", "นอกจากนี้", "ทั้งนี้", "ดังนั้น"];

/// The openers of `lang`, and whether an opener must end at a word boundary
/// (not in scripts written without spaces).
fn openers(lang: Lang) -> (&'static [&'static str], bool) {
    match lang {
        Lang::En | Lang::Other(_) => (EN, true),
        Lang::De => (DE, true),
        Lang::Fr => (FR, true),
        Lang::Es => (ES, true),
        Lang::It => (IT, true),
        Lang::Pt => (PT, true),
        Lang::Nl => (NL, true),
        Lang::Ru => (RU, true),
        Lang::Sv => (SV, true),
        Lang::Zh => (ZH, false),
        Lang::Ja => (JA, false),
        Lang::Ko => (KO, true),
        Lang::Ar => (AR, true),
        Lang::Th => (TH, false),
    }
}

/// Whether `sentence`, in `lang`, opens with a word or phrase that refers back
/// to the sentence before it. Leading quotes and brackets are skipped;
/// matching ignores case, reads a typographic apostrophe as `'`, and (except
/// in Chinese, Japanese and Thai) needs a word boundary after the opener.
pub fn depends_on_previous(sentence: &str, lang: Lang) -> bool {
    let s = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    let (list, boundary) = openers(lang);
    list.iter().any(|o| {
        strip_folded(s, o).is_some_and(|rest| !boundary || rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// `s` after the lower-case `prefix`, when `s` starts with it ignoring case
/// (a typographic apostrophe in `s` reads as `'`). Nothing is allocated: the
/// guard runs on every candidate sentence.
fn strip_folded<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let mut chars = s.char_indices();
    for want in prefix.chars() {
        let (_, c) = chars.next()?;
        let c = if c == '\u{2019}' { '\'' } else { c };
        let same = if c.is_ascii() {
            c.to_ascii_lowercase() == want
        } else {
            let mut lower = c.to_lowercase();
            lower.next() == Some(want) && lower.next().is_none()
        };
        if !same {
            return None;
        }
    }
    Some(chars.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronouns_and_connectives_depend() {
        assert!(depends_on_previous("He said it was over.", Lang::En));
        assert!(depends_on_previous("However, prices rose.", Lang::En));
        assert!(depends_on_previous("This means the end.", Lang::En));
        assert!(depends_on_previous("The company denied it.", Lang::En));
        assert!(depends_on_previous("' they were wrong , ' he said .", Lang::En));
        assert!(depends_on_previous("In addition, rates fell.", Lang::En));
        assert!(depends_on_previous("It", Lang::En));
    }

    #[test]
    fn other_openers_do_not() {
        assert!(!depends_on_previous("Hermann said it was over.", Lang::En));
        assert!(!depends_on_previous("Prices rose.", Lang::En));
        assert!(!depends_on_previous("Theresa May resigned.", Lang::En));
        assert!(!depends_on_previous("The minister resigned.", Lang::En));
        assert!(!depends_on_previous("Itself a problem.", Lang::En));
        assert!(!depends_on_previous("", Lang::En));
        assert!(!depends_on_previous("Thisé", Lang::En));
        assert!(depends_on_previous("It’s over.", Lang::En));
    }

    #[test]
    fn each_language_has_its_own_openers() {
        let dependent = [
            (Lang::De, "Er sagte, das Geschäft sei geplatzt."),
            (Lang::De, "Jedoch stiegen die Preise."),
            (Lang::De, "Das Unternehmen bestritt das."),
            (Lang::Fr, "Il a déclaré que l'accord était rompu."),
            (Lang::Fr, "Cependant, les prix ont augmenté."),
            (Lang::Fr, "L’entreprise a démenti."),
            (Lang::Es, "Sin embargo, los precios subieron."),
            (Lang::Es, "Él dijo que no."),
            (Lang::It, "Tuttavia i prezzi sono saliti."),
            (Lang::Pt, "No entanto, os preços subiram."),
            (Lang::Nl, "Hij zei dat het voorbij was."),
            (Lang::Ru, "Однако цены выросли."),
            (Lang::Ru, "Он сказал, что сделка сорвалась."),
            (Lang::Sv, "Hon sade att affären var över."),
            (Lang::Zh, "他们赋有理性和良心。"),
            (Lang::Zh, "然而，价格上涨了。"),
            (Lang::Ja, "同社は否定した。"),
            (Lang::Ja, "しかし、価格は上昇した。"),
            (Lang::Ko, "하지만 가격은 올랐다."),
            (Lang::Ar, "لكن الأسعار ارتفعت."),
            (Lang::Th, "อย่างไรก็ตาม ราคาสูงขึ้น"),
        ];
        for (lang, s) in dependent {
            assert!(depends_on_previous(s, lang), "{lang:?}: {s}");
        }
        let standalone = [
            (Lang::De, "Erdogan sagte, das Geschäft sei geplatzt."),
            (Lang::De, "Es gibt neue Zahlen."),
            (Lang::Fr, "Illinois a voté."),
            (Lang::Es, "Estados Unidos subió los aranceles."),
            (Lang::Ru, "Онлайн-продажи выросли."),
            (Lang::Sv, "Dessutomhet."),
            (Lang::Zh, "人人生而自由。"),
            (Lang::Ja, "日本銀行は金利を据え置いた。"),
            (Lang::Ko, "한국은행은 금리를 동결했다."),
        ];
        for (lang, s) in standalone {
            assert!(!depends_on_previous(s, lang), "{lang:?}: {s}");
        }
        // English openers are not applied to other languages ("So" is a
        // German word too, "Hij" is not English).
        assert!(!depends_on_previous("Hij zei dat het voorbij was.", Lang::En));
        assert!(depends_on_previous("He said it.", Lang::Other("pol")));
    }

    #[test]
    fn openers_are_lower_case() {
        let langs = [
            Lang::En,
            Lang::De,
            Lang::Fr,
            Lang::Es,
            Lang::It,
            Lang::Pt,
            Lang::Nl,
            Lang::Ru,
            Lang::Sv,
            Lang::Zh,
            Lang::Ja,
            Lang::Ko,
            Lang::Ar,
            Lang::Th,
        ];
        for lang in langs {
            for o in openers(lang).0 {
                assert_eq!(o.to_lowercase(), *o, "{lang:?}: {o}");
                assert!(!o.contains('\u{2019}'), "{lang:?}: {o}");
            }
        }
    }
}
