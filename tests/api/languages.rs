//! Real text in each supported language through `Summarize`: the language is
//! detected without a hint, sentences are split on the language's own marks,
//! and the summary is spans of the body.
//!
//! The passages are Articles 1, 3, 4 and 5 of the Universal Declaration of
//! Human Rights in each language's official translation (United Nations text,
//! free to reproduce), one paragraph per article.

use precis::grpc::pb;

use crate::helpers::*;

struct Case {
    code: &'static str,
    /// Articles 1, 3, 4, 5, one per paragraph.
    body: &'static str,
    sentences: u32,
}

const CASES: &[Case] = &[
    Case {
        code: "en",
        body: "All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.\n\nEveryone has the right to life, liberty and security of person.\n\nNo one shall be held in slavery or servitude; slavery and the slave trade shall be prohibited in all their forms.\n\nNo one shall be subjected to torture or to cruel, inhuman or degrading treatment or punishment.",
        sentences: 5,
    },
    Case {
        code: "de",
        body: "Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit Vernunft und Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.\n\nJeder hat das Recht auf Leben, Freiheit und Sicherheit der Person.\n\nNiemand darf in Sklaverei oder Leibeigenschaft gehalten werden; Sklaverei und Sklavenhandel sind in allen ihren Formen verboten.\n\nNiemand darf der Folter oder grausamer, unmenschlicher oder erniedrigender Behandlung oder Strafe unterworfen werden.",
        sentences: 5,
    },
    Case {
        code: "fr",
        body: "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience et doivent agir les uns envers les autres dans un esprit de fraternité.\n\nTout individu a droit à la vie, à la liberté et à la sûreté de sa personne.\n\nNul ne sera tenu en esclavage ni en servitude; l'esclavage et la traite des esclaves sont interdits sous toutes leurs formes.\n\nNul ne sera soumis à la torture, ni à des peines ou traitements cruels, inhumains ou dégradants.",
        sentences: 5,
    },
    Case {
        code: "es",
        body: "Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como están de razón y conciencia, deben comportarse fraternalmente los unos con los otros.\n\nTodo individuo tiene derecho a la vida, a la libertad y a la seguridad de su persona.\n\nNadie estará sometido a esclavitud ni a servidumbre; la esclavitud y la trata de esclavos están prohibidas en todas sus formas.\n\nNadie será sometido a torturas ni a penas o tratos crueles, inhumanos o degradantes.",
        sentences: 4,
    },
    Case {
        code: "it",
        body: "Tutti gli esseri umani nascono liberi ed eguali in dignità e diritti. Essi sono dotati di ragione e di coscienza e devono agire gli uni verso gli altri in spirito di fratellanza.\n\nOgni individuo ha diritto alla vita, alla libertà ed alla sicurezza della propria persona.\n\nNessun individuo potrà essere tenuto in stato di schiavitù o di servitù; la schiavitù e la tratta degli schiavi saranno proibite sotto qualsiasi forma.\n\nNessun individuo potrà essere sottoposto a tortura o a trattamento o a punizione crudeli, inumani o degradanti.",
        sentences: 5,
    },
    Case {
        code: "pt",
        body: "Todos os seres humanos nascem livres e iguais em dignidade e em direitos. Dotados de razão e de consciência, devem agir uns para com os outros em espírito de fraternidade.\n\nTodo o indivíduo tem direito à vida, à liberdade e à segurança pessoal.\n\nNinguém será mantido em escravatura ou em servidão; a escravatura e o trato dos escravos, sob todas as formas, são proibidos.\n\nNinguém será submetido a tortura nem a penas ou tratamentos cruéis, desumanos ou degradantes.",
        sentences: 5,
    },
    Case {
        code: "nl",
        body: "Alle mensen worden vrij en gelijk in waardigheid en rechten geboren. Zij zijn begiftigd met verstand en geweten, en behoren zich jegens elkander in een geest van broederschap te gedragen.\n\nEen ieder heeft recht op leven, vrijheid en onschendbaarheid van zijn persoon.\n\nNiemand zal in slavernij of horigheid gehouden worden. Slavernij en slavenhandel in iedere vorm zijn verboden.\n\nNiemand zal onderworpen worden aan folteringen, noch aan wrede, onmenselijke of onterende behandeling of bestraffing.",
        sentences: 6,
    },
    Case {
        code: "ru",
        body: "Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью и должны поступать в отношении друг друга в духе братства.\n\nКаждый человек имеет право на жизнь, на свободу и на личную неприкосновенность.\n\nНикто не должен содержаться в рабстве или в подневольном состоянии; рабство и работорговля запрещаются во всех их видах.\n\nНикто не должен подвергаться пыткам или жестоким, бесчеловечным или унижающим его достоинство обращению и наказанию.",
        sentences: 5,
    },
    Case {
        code: "sv",
        body: "Alla människor är födda fria och lika i värde och rättigheter. De har utrustats med förnuft och samvete och bör handla gentemot varandra i en anda av broderskap.\n\nVar och en har rätt till liv, frihet och personlig säkerhet.\n\nIngen får hållas i slaveri eller träldom; slaveri och slavhandel i alla dess former skall vara förbjudna.\n\nIngen får utsättas för tortyr eller grym, omänsklig eller förnedrande behandling eller bestraffning.",
        sentences: 5,
    },
    Case {
        code: "zh",
        body: "人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。\n\n人人有权享有生命、自由和人身安全。\n\n任何人不得使为奴隶或奴役；一切形式的奴隶制度和奴隶买卖，均应予以禁止。\n\n对任何人不得加以酷刑，或施以残忍的、不人道的或侮辱性的待遇或刑罚。",
        sentences: 5,
    },
    Case {
        code: "ar",
        body: "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح الإخاء.\n\nلكل فرد الحق في الحياة والحرية وسلامة شخصه.\n\nلا يجوز استرقاق أو استعباد أي شخص، ويحظر الاسترقاق وتجارة الرقيق بكافة أوضاعهما.\n\nلا يعرض أي إنسان للتعذيب ولا للعقوبات أو المعاملات القاسية أو الوحشية أو الحاطة بالكرامة.",
        sentences: 5,
    },
];

#[tokio::test]
async fn each_language_is_detected_split_and_summarised() {
    let server = spawn().await;
    let mut c = server.client();
    for case in CASES {
        let request = |options: pb::SummaryOptions| pb::SummarizeRequest {
            article: Some(article(case.code, "", case.body)),
            options: Some(options),
            return_removed: false,
        };
        let all = c
            .summarize(request(pb::SummaryOptions { all_sentences: true, ..Default::default() }))
            .await
            .unwrap_or_else(|s| panic!("{}: {s}", case.code))
            .into_inner();
        assert_eq!(all.language, case.code, "detected language of the {} text", case.code);
        let summary = all.summary.expect("summary");
        assert_eq!(summary.total_sentences, case.sentences, "{}: sentences", case.code);
        for s in &summary.sentences {
            assert_eq!(&case.body[s.byte_start as usize..s.byte_end as usize], s.text, "{}: span", case.code);
            assert!(!s.text.trim().is_empty(), "{}: empty sentence", case.code);
        }

        let two = c
            .summarize(request(pb::SummaryOptions { max_sentences: 2, ..Default::default() }))
            .await
            .unwrap_or_else(|s| panic!("{}: {s}", case.code))
            .into_inner()
            .summary
            .expect("summary");
        assert_eq!(two.sentences.len(), 2, "{}: a 2-sentence summary", case.code);
        assert!(two.sentences[0].index < two.sentences[1].index, "{}: document order", case.code);
    }
}

/// A results story whose sentences 3, 4 and 5 lean on the one before ("But
/// its own…", "It lost…", "However, the company…"), in German and French.
const CHAINS: &[(&str, &str)] = &[
    ("de", "Globex Media meldete am Mittwoch einen Quartalsgewinn von 2 Milliarden Dollar, 40 Prozent mehr als vor einem Jahr. Globex sagte, der Umsatz sei um 3 Prozent auf 12 Milliarden Dollar gestiegen, getragen von Werbung und dem Filmstudio. Analysten hatten für das Quartal einen Umsatz von 11,5 Milliarden Dollar erwartet. Aber der eigene Streamingdienst Globex Play hatte im Quartal gemischte Ergebnisse. Er verlor im Quartal 300.000 Abonnenten, weil die Preise stiegen, und der Gewinn von Globex Play sank. Jedoch sagte das Unternehmen, der Gewinn von Globex Play vor Sondereffekten sei dank Werbung um 8 Prozent gestiegen. Die Globex-Aktie stieg nach den Zahlen im New Yorker Handel um 2 Prozent."),
    ("fr", "Globex Media a annoncé mercredi un bénéfice trimestriel de 2 milliards de dollars, en hausse de 40 % sur un an. Globex a indiqué que son chiffre d'affaires avait progressé de 3 % à 12 milliards de dollars, porté par la publicité et son studio de cinéma. Les analystes attendaient un chiffre d'affaires de 11,5 milliards de dollars pour le trimestre. Mais son propre service de streaming, Globex Play, a connu un trimestre mitigé. Il a perdu 300 000 abonnés au cours du trimestre avec la hausse des prix, et le bénéfice de Globex Play a reculé. Cependant, la société a indiqué que le bénéfice de Globex Play avant éléments exceptionnels avait progressé de 8 % grâce à la publicité. L'action Globex a gagné 2 % à New York après les résultats."),
];

/// The faithfulness guard reads each language's own openers ("Aber", "Er",
/// "Jedoch"; "Mais", "Il", "Cependant"): with it, no budget returns a
/// dependent sentence without the one before; without it, some budget does.
#[tokio::test]
async fn the_guard_knows_each_languages_openers() {
    let server = spawn().await;
    let mut c = server.client();
    for &(code, body) in CHAINS {
        let mut unguarded_alone = Vec::new();
        for k in 1..=6 {
            for guard in [true, false] {
                let options =
                    pb::SummaryOptions { max_sentences: k, disable_context_guard: !guard, ..Default::default() };
                let response = c
                    .summarize(pb::SummarizeRequest {
                        article: Some(pb::Article { body: body.into(), ..Default::default() }),
                        options: Some(options),
                        return_removed: false,
                    })
                    .await
                    .unwrap_or_else(|s| panic!("{code}: {s}"))
                    .into_inner();
                assert_eq!(response.language, code);
                let chosen: Vec<u32> = response.summary.expect("summary").sentences.iter().map(|s| s.index).collect();
                let alone: Vec<u32> =
                    [3, 4, 5].into_iter().filter(|&d| chosen.contains(&d) && !chosen.contains(&(d - 1))).collect();
                if guard {
                    assert!(alone.is_empty(), "{code}: k = {k}: {alone:?} without the sentence before: {chosen:?}");
                } else {
                    unguarded_alone.extend(alone);
                }
            }
        }
        assert!(!unguarded_alone.is_empty(), "{code}: without the guard no budget separates a dependent sentence");
    }
}
