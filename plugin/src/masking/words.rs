//! The words of a masked timeline line, per language. Adding a language is adding one entry here.

use crate::inbound::model::DeliveryStatus;

pub struct Words {
    pub reply: &'static str,
    /// `{name}` stands for the template's name.
    pub template: &'static str,
    /// Agreement with "reply" and with "template" differs in some languages.
    pub sent_from_reply: &'static str,
    pub sent_from_template: &'static str,
    pub by: &'static str,
    pub one_file: &'static str,
    /// `{n}` stands for the count.
    pub files: &'static str,
    /// pending, sent, delivered, read, played, failed.
    pub statuses: [&'static str; 6],
}

const EN: Words = Words {
    reply: "Reply",
    template: "Template {name}",
    sent_from_reply: "sent from",
    sent_from_template: "sent from",
    by: "by",
    one_file: "with 1 file",
    files: "with {n} files",
    statuses: ["pending", "sent", "delivered", "read", "played", "failed"],
};

const DE: Words = Words {
    reply: "Antwort",
    template: "Vorlage {name}",
    sent_from_reply: "gesendet aus",
    sent_from_template: "gesendet aus",
    by: "von",
    one_file: "mit 1 Datei",
    files: "mit {n} Dateien",
    statuses: ["ausstehend", "gesendet", "zugestellt", "gelesen", "abgespielt", "fehlgeschlagen"],
};

const ES: Words = Words {
    reply: "Respuesta",
    template: "Plantilla {name}",
    sent_from_reply: "enviada desde",
    sent_from_template: "enviada desde",
    by: "por",
    one_file: "con 1 archivo",
    files: "con {n} archivos",
    statuses: ["pendiente", "enviada", "entregada", "leída", "reproducida", "fallida"],
};

const PT: Words = Words {
    reply: "Resposta",
    template: "Modelo {name}",
    sent_from_reply: "enviada de",
    sent_from_template: "enviado de",
    by: "por",
    one_file: "com 1 arquivo",
    files: "com {n} arquivos",
    statuses: ["pendente", "enviada", "entregue", "lida", "reproduzida", "falhou"],
};

const FR: Words = Words {
    reply: "Réponse",
    template: "Modèle {name}",
    sent_from_reply: "envoyée depuis",
    sent_from_template: "envoyé depuis",
    by: "par",
    one_file: "avec 1 fichier",
    files: "avec {n} fichiers",
    statuses: ["en attente", "envoyé", "remis", "lu", "écouté", "échec"],
};

/// The words for a language code (`de`, `de-AT`, `pt_BR`); English when there are none.
pub fn for_language(code: &str) -> &'static Words {
    match code.get(..2).map(str::to_ascii_lowercase).as_deref() {
        Some("de") => &DE,
        Some("es") => &ES,
        Some("pt") => &PT,
        Some("fr") => &FR,
        _ => &EN,
    }
}

pub fn status(words: &Words, status: DeliveryStatus) -> &'static str {
    words.statuses[usize::from(crate::inbound::status::rank(status))]
}
