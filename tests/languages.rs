//! Reading text in the supported languages: detection, sentence counts,
//! stop words and stemming (inflections of a word share one term).
//!
//! The passages are short factual paragraphs written for these tests, the
//! same report in each language.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use precis::domain::lang::Lang;
use precis::domain::segment::split;
use precis::domain::tokenize::Tokenizer;

struct Case {
    lang: Lang,
    text: &'static str,
    sentences: usize,
    /// Pairs of inflected forms that must share a stem.
    same_stem: &'static [(&'static str, &'static str)],
    /// Words that must be stop words.
    stop: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        lang: Lang::En,
        text: "The city council approved a new budget on Tuesday. Spending on public transport will rise by ten percent next year. Critics said the plan ignores rising housing costs. The mayor defended the decision in a long speech.\n\nOpposition members asked for a second vote. It will take place in March.",
        sentences: 6,
        same_stem: &[("rising", "rise"), ("costs", "cost"), ("approved", "approve"), ("China’s", "China")],
        stop: &["the", "on", "will", "It"],
    },
    Case {
        lang: Lang::De,
        text: "Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen. Die Ausgaben für den öffentlichen Verkehr steigen im nächsten Jahr um zehn Prozent. Kritiker sagten, der Plan ignoriere die steigenden Wohnkosten. Der Bürgermeister verteidigte die Entscheidung in einer langen Rede.\n\nDie Opposition forderte z. B. eine zweite Abstimmung. Sie findet am 3. März statt.",
        sentences: 6,
        same_stem: &[("Ausgaben", "Ausgabe"), ("Entscheidung", "Entscheidungen"), ("langen", "lange")],
        stop: &["der", "die", "und", "Sie"],
    },
    Case {
        lang: Lang::Fr,
        text: "Le conseil municipal a approuvé un nouveau budget mardi. Les dépenses pour les transports publics augmenteront de dix pour cent l'année prochaine. Les critiques ont dit que le plan ignore la hausse des loyers. Le maire a défendu sa décision dans un long discours.\n\nL'opposition a demandé un second vote. M. Dupont a dit qu'il aura lieu en mars.",
        sentences: 6,
        same_stem: &[("transports", "transport"), ("critiques", "critique"), ("publics", "public")],
        stop: &["le", "les", "dans", "un"],
    },
    Case {
        lang: Lang::Es,
        text: "El ayuntamiento aprobó un nuevo presupuesto el martes. El gasto en transporte público aumentará un diez por ciento el próximo año. Los críticos dijeron que el plan ignora el aumento de los alquileres. El alcalde defendió la decisión en un largo discurso.\n\n¿Habrá otra votación? La oposición pidió una segunda votación en marzo.",
        sentences: 6,
        same_stem: &[("críticos", "crítico"), ("presupuestos", "presupuesto"), ("votación", "votaciones")],
        stop: &["el", "los", "en", "que"],
    },
    Case {
        lang: Lang::It,
        text: "Il consiglio comunale ha approvato un nuovo bilancio martedì. La spesa per il trasporto pubblico aumenterà del dieci per cento il prossimo anno. I critici hanno detto che il piano ignora l'aumento degli affitti. Il sindaco ha difeso la decisione in un lungo discorso.\n\nL'opposizione ha chiesto un secondo voto. Si terrà a marzo.",
        sentences: 6,
        same_stem: &[("affitti", "affitto"), ("pubblico", "pubblici"), ("decisione", "decisioni")],
        stop: &["il", "che", "per", "un"],
    },
    Case {
        lang: Lang::Pt,
        text: "A câmara municipal aprovou um novo orçamento na terça-feira. Os gastos com transporte público vão aumentar dez por cento no próximo ano. Os críticos disseram que o plano ignora a subida das rendas. O presidente da câmara defendeu a decisão num longo discurso.\n\nA oposição pediu uma segunda votação. Ela vai decorrer em março.",
        sentences: 6,
        same_stem: &[("críticos", "crítico"), ("rendas", "renda"), ("gastos", "gasto")],
        stop: &["os", "que", "com", "um"],
    },
    Case {
        lang: Lang::Nl,
        text: "De gemeenteraad heeft dinsdag een nieuwe begroting goedgekeurd. De uitgaven voor het openbaar vervoer stijgen volgend jaar met tien procent. Critici zeiden dat het plan de stijgende woonlasten negeert. De burgemeester verdedigde het besluit in een lange toespraak.\n\nDe oppositie vroeg om een tweede stemming. Die vindt in maart plaats.",
        sentences: 6,
        same_stem: &[("begroting", "begrotingen"), ("lange", "lang"), ("stemming", "stemmingen")],
        stop: &["de", "het", "een", "voor"],
    },
    Case {
        lang: Lang::Ru,
        text: "Городской совет во вторник утвердил новый бюджет. Расходы на общественный транспорт в следующем году вырастут на десять процентов. Критики заявили, что план игнорирует рост арендной платы. Мэр защитил это решение в длинной речи.\n\nОппозиция потребовала повторного голосования. Оно состоится в марте 2025 г. в столице.",
        sentences: 6,
        same_stem: &[("бюджет", "бюджета"), ("расходы", "расходов"), ("решение", "решения"), ("ёлка", "елка")],
        stop: &["в", "на", "что", "это"],
    },
    Case {
        lang: Lang::Sv,
        text: "Kommunfullmäktige godkände en ny budget på tisdagen. Utgifterna för kollektivtrafiken ökar med tio procent nästa år. Kritiker sade att planen inte tar hänsyn till de stigande hyrorna. Kommunalrådet försvarade beslutet i ett långt tal.\n\nOppositionen begärde bl.a. en andra omröstning. Den hålls i mars.",
        sentences: 6,
        same_stem: &[("budget", "budgeten"), ("planen", "plan"), ("kritikerna", "kritiker")],
        stop: &["och", "att", "på", "inte"],
    },
    Case {
        lang: Lang::Zh,
        text: "市议会星期二批准了新的预算。明年公共交通的支出将增加百分之十。批评者说，该计划忽视了不断上涨的房租。市长在长篇讲话中为这一决定辩护。\n\n反对派要求进行第二次投票！投票将于三月举行。",
        sentences: 6,
        same_stem: &[],
        stop: &[],
    },
    Case {
        lang: Lang::Ar,
        text: "وافق مجلس المدينة يوم الثلاثاء على ميزانية جديدة. سيرتفع الإنفاق على النقل العام بنسبة عشرة في المئة العام المقبل. قال المنتقدون إن الخطة تتجاهل ارتفاع الإيجارات. ودافع رئيس البلدية عن القرار في خطاب طويل.\n\nهل ستجري جولة ثانية؟ طالبت المعارضة بتصويت ثان في شهر مارس.",
        sentences: 6,
        same_stem: &[("المدينة", "مدينة"), ("الميزانية", "ميزانية")],
        stop: &["في", "على", "عن"],
    },
    // Languages without a name of their own in precis: stop words (and, for
    // Turkish, a stemmer) come from their BCP-47 code.
    Case {
        lang: Lang::Other("id"),
        text: "Dewan kota menyetujui anggaran baru pada hari Selasa. Belanja untuk transportasi umum akan naik sepuluh persen tahun depan. Para kritikus mengatakan bahwa rencana itu mengabaikan kenaikan biaya perumahan. Wali kota membela keputusan tersebut dalam pidato yang panjang.\n\nAnggota oposisi meminta pemungutan suara kedua. Pemungutan suara itu akan dilakukan pada bulan Maret.",
        sentences: 6,
        same_stem: &[],
        stop: &["yang", "pada", "akan", "dan"],
    },
    Case {
        lang: Lang::Other("tr"),
        text: "Belediye meclisi salı günü yeni bir bütçeyi onayladı. Toplu taşıma harcamaları gelecek yıl yüzde on artacak. Eleştirmenler planın artan konut maliyetlerini göz ardı ettiğini söyledi. Belediye başkanı uzun bir konuşmada kararı savundu.\n\nMuhalefet ikinci bir oylama istedi. Oylama mart ayında yapılacak.",
        sentences: 6,
        same_stem: &[("bütçeyi", "bütçe"), ("maliyetlerini", "maliyet")],
        stop: &["bir", "ve", "bu"],
    },
];

#[test]
fn detects_each_language() {
    for c in CASES {
        assert_eq!(Lang::detect(c.text), c.lang, "detecting {:?}", c.lang);
        // The first paragraph alone is enough too.
        let first = c.text.split("\n\n").next().unwrap_or("");
        assert_eq!(Lang::detect(first), c.lang, "detecting {:?} from one paragraph", c.lang);
    }
}

#[test]
fn splits_sentences_in_each_language() {
    for c in CASES {
        let s = split(c.text);
        let got: Vec<&str> = s.iter().map(|x| x.span.slice(c.text)).collect();
        assert_eq!(s.len(), c.sentences, "{:?}: {got:#?}", c.lang);
        assert_eq!(s.iter().filter(|x| x.first_in_paragraph).count(), 2, "{:?} paragraphs", c.lang);
    }
}

#[test]
fn stems_group_inflections() {
    for c in CASES {
        let t = Tokenizer::new(c.lang);
        for (a, b) in c.same_stem {
            let (ta, tb) = (t.tokens_of(a), t.tokens_of(b));
            assert_eq!(ta.len(), 1, "{a}");
            assert_eq!(tb.len(), 1, "{b}");
            assert_eq!(ta[0].term, tb[0].term, "{:?}: {a} and {b} should share a stem", c.lang);
        }
    }
}

#[test]
fn flags_stop_words() {
    for c in CASES {
        let t = Tokenizer::new(c.lang);
        for w in c.stop {
            let toks = t.tokens_of(w);
            assert!(toks.len() == 1 && toks[0].stop, "{:?}: {w} should be a stop word", c.lang);
        }
        // Content words are not.
        let toks = t.tokens_of(c.text);
        assert!(toks.iter().any(|x| !x.stop), "{:?}", c.lang);
        // Offsets point at the words.
        for x in &toks {
            assert!(x.span.slice(c.text).chars().next().is_some_and(char::is_alphanumeric), "{:?}", c.lang);
        }
    }
}

#[test]
fn chinese_uses_bigrams() {
    let text = "市议会星期二批准了新的预算。";
    let toks = Tokenizer::new(Lang::Zh).tokens_of(text);
    let grams: Vec<&str> = toks.iter().map(|t| t.span.slice(text)).collect();
    assert!(grams.contains(&"预算"));
    assert!(grams.iter().all(|g| g.chars().count() == 2));
}

#[test]
fn unicode_forms_fold_to_one_term() {
    let t = Tokenizer::new(Lang::Fr);
    // Precomposed and decomposed "é", and case.
    let a = t.tokens_of("décision");
    let b = t.tokens_of("De\u{301}cision");
    assert_eq!(a[0].term, b[0].term);
    let t = Tokenizer::new(Lang::En);
    assert_eq!(t.tokens_of("don’t")[0].term, t.tokens_of("Don't")[0].term);
}
