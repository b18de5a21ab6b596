//! What a column of a list means: the contact fields an import fills, the
//! headers of Google Contacts, Outlook (English and Russian) and common
//! Russian spreadsheets mapped to them, and names split into their parts.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::macros::text_enum;
use crate::model::contact::{messenger_handle, Email, Messenger, MessengerKind, Phone};

text_enum! {
    /// What a column holds.
    pub enum Field {
        Ignore => "ignore",
        /// The whole name in one cell ("ФИО", "Name").
        FullName => "full_name",
        FamilyName => "family_name",
        GivenName => "given_name",
        /// Patronymic or middle name.
        MiddleName => "middle_name",
        FullNameLatin => "full_name_latin",
        Position => "position",
        Organization => "organization",
        Email => "email",
        Phone => "phone",
        Notes => "notes",
        /// Separated by commas or semicolons.
        Tags => "tags",
        /// A Telegram handle or number ("@aidar", "+7 701...").
        Telegram => "telegram",
        /// A WhatsApp number.
        Whatsapp => "whatsapp",
        /// The languages spoken, separated by commas or semicolons.
        Languages => "languages",
    }
}

/// A person as read from one row or one card, before matching and
/// validation. Phones are as written; the import normalises them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Draft {
    pub full_name: String,
    pub full_name_latin: String,
    pub position: String,
    pub organization: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub notes: String,
    pub tags: Vec<String>,
    pub messengers: Vec<Messenger>,
    pub languages: Vec<String>,
}

/// A header as compared: lower-cased, spaces collapsed, no quotes or BOM.
fn normal(header: &str) -> String {
    header
        .trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\u{feff}')
        .to_lowercase()
        .replace('ё', "е")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header names, or `Ignore`.
pub fn field_for_header(header: &str) -> Field {
    let h = normal(header);
    let h = h.as_str();
    // Google: "E-mail 1 - Value", "Phone 2 - Value"; their "- Type" and
    // "- Label" columns are labels, not values.
    let value_of = |prefix: &str| h.starts_with(prefix) && h.ends_with("value");
    if value_of("e-mail") || value_of("email") {
        return Field::Email;
    }
    if value_of("phone") {
        return Field::Phone;
    }
    if h.ends_with("- type") || h.ends_with("- label") {
        return Field::Ignore;
    }
    match h {
        "фио"
        | "ф.и.о."
        | "ф. и. о."
        | "name"
        | "full name"
        | "display name"
        | "полное имя"
        | "контакт"
        | "имя и фамилия"
        | "participant"
        | "участник"
        // Kazakh delegation lists.
        | "аты-жөні"
        | "толық аты-жөні"
        | "т.а.ә."
        | "қатысушы" => Field::FullName,
        "фамилия" | "family name" | "last name" | "surname" | "тегі" => Field::FamilyName,
        "имя" | "given name" | "first name" | "аты" => Field::GivenName,
        "отчество" | "additional name" | "middle name" | "patronymic" | "әкесінің аты" => {
            Field::MiddleName
        }
        "name (latin)" | "имя латиницей" | "фио латиницей" | "фио (латиницей)" | "latin name" => {
            Field::FullNameLatin
        }
        "должность"
        | "job title"
        | "position"
        | "organization 1 - title"
        | "organization title"
        | "title, position"
        | "лауазымы"
        | "лауазым" => Field::Position,
        "компания"
        | "организация"
        | "company"
        | "organization"
        | "organisation"
        | "organization 1 - name"
        | "organization name"
        | "employer"
        | "company name"
        | "название компании"
        | "наименование организации"
        | "предприятие"
        | "ұйым"
        | "мекеме"
        | "кәсіпорын" => Field::Organization,
        "email"
        | "e-mail"
        | "e-mail address"
        | "email address"
        | "e-mail 2 address"
        | "e-mail 3 address"
        | "адрес эл. почты"
        | "адрес электронной почты"
        | "эл. почта"
        | "электронная почта"
        | "почта"
        | "e-mail адрес"
        | "электрондық пошта"
        | "эл. пошта" => Field::Email,
        "телефон"
        | "phone"
        | "mobile"
        | "mobile phone"
        | "business phone"
        | "home phone"
        | "primary phone"
        | "company main phone"
        // Outlook's further numbers (its fax columns stay out).
        | "business phone 2"
        | "home phone 2"
        | "other phone"
        | "car phone"
        | "мобильный"
        | "мобильный телефон"
        | "рабочий телефон"
        | "домашний телефон"
        | "тел."
        | "тел"
        | "моб. телефон"
        | "сотовый"
        | "сотовый телефон"
        | "номер телефона"
        | "phone number"
        | "mobile number"
        | "telephone"
        | "cell"
        | "cell phone"
        | "work phone"
        | "телефон нөмірі"
        | "ұялы телефон" => Field::Phone,
        "notes" | "note" | "заметки" | "примечание" | "примечания" | "комментарий"
        | "ескертпе" => Field::Notes,
        "tags" | "labels" | "group membership" | "categories" | "теги" | "метки" | "категории" => {
            Field::Tags
        }
        // Delegation lists here name the messengers people are reached on.
        "telegram" | "телеграм" | "телеграмм" | "tg" => Field::Telegram,
        "whatsapp" | "whats app" | "ватсап" | "вотсап" | "вацап" | "whatsapp number"
        | "номер whatsapp" => Field::Whatsapp,
        // Not "language": Outlook's holds a locale ("en-us").
        "languages" | "языки" | "знание языков" | "тілдер" | "тілді білуі" => {
            Field::Languages
        }
        _ => Field::Ignore,
    }
}

/// Whether a first row is a header: it names at least one field and holds
/// no e-mail address (a data row would).
pub fn is_header(cells: &[String]) -> bool {
    // A messenger's name is also a value ("preferred: WhatsApp"): alone it
    // makes no header, or a file without one lost its first person.
    cells.iter().any(|c| {
        !matches!(
            field_for_header(c),
            Field::Ignore | Field::Telegram | Field::Whatsapp | Field::Languages
        )
    }) && !cells.iter().any(|c| c.contains('@'))
}

/// A mapping for a file without a header row, from its first data rows:
/// the column with '@' is e-mail, the one of digits is a phone, the first
/// other text column the full name.
pub fn guess_from_content(rows: &[Vec<String>]) -> Vec<Field> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut fields = vec![Field::Ignore; width];
    let mut named = false;
    for (col, field) in fields.iter_mut().enumerate() {
        let cells: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.get(col))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        if cells.iter().all(|c| c.contains('@')) {
            *field = Field::Email;
        } else if cells.iter().all(|c| {
            c.chars().filter(char::is_ascii_digit).count() >= 6
                && c.chars()
                    .all(|ch| ch.is_ascii_digit() || " +-()./".contains(ch))
        }) {
            *field = Field::Phone;
        } else if !named {
            *field = Field::FullName;
            named = true;
        }
    }
    fields
}

/// Endings of patronymics (Russian, Kazakh, Turkmen), folded to lower case.
const PATRONYMIC_ENDINGS: &[&str] = &[
    "ович",
    "евич",
    "ьич",
    "овна",
    "евна",
    "ична",
    "инична",
    "улы",
    "ұлы",
    "кызы",
    "қызы",
    // Not "oglu": written joined it is a Turkish family name ("Ahmet Emre
    // Kocaoglu"); an Azerbaijani patronymic writes "oğlu" as a word apart.
    "ogly",
    "uly",
    "gyzy",
    "kyzy",
    "ovich",
    "evich",
    "ovna",
    "evna",
];

pub fn is_patronymic(word: &str) -> bool {
    let w = word.to_lowercase();
    PATRONYMIC_ENDINGS
        .iter()
        .any(|e| w.ends_with(e) && w.len() > e.len())
}

/// A name written family name first ("Иванов Иван Иванович", the ФИО
/// order), put in the order the app shows names: given, patronymic, family.
/// Names without a patronymic, or already in that order, stay as written.
/// The middle word is looked at first: many family names end as a
/// patronymic does ("Сергей Петрович Лукашевич", "Roman Arkadyevich
/// Abramovich") and are already in display order.
pub fn from_family_first(full: &str) -> String {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.as_slice() {
        [_, middle, _] if is_patronymic(middle) => words.join(" "),
        [family, given, patronymic] if is_patronymic(patronymic) => {
            format!("{given} {patronymic} {family}")
        }
        _ => words.join(" "),
    }
}

/// Joins name parts (given, middle, family), skipping blanks.
pub fn join_name(given: &str, middle: &str, family: &str) -> String {
    [given, middle, family]
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits a full name into (family, given, middle) for vCard's N: the last
/// word is the family name, unless the name is in ФИО order.
pub fn split_name(full: &str) -> (String, String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.as_slice() {
        [] => Default::default(),
        [one] => ((*one).to_owned(), String::new(), String::new()),
        // Display order first, as in `from_family_first`.
        [given, patronymic, family] | [family, given, patronymic] if is_patronymic(patronymic) => (
            (*family).to_owned(),
            (*given).to_owned(),
            (*patronymic).to_owned(),
        ),
        [given @ .., family] => ((*family).to_owned(), given.join(" "), String::new()),
    }
}

/// Builds a draft from one row's cells under a mapping.
pub fn draft_from_row(cells: &[String], mapping: &[Field]) -> Draft {
    let mut d = Draft::default();
    let (mut family, mut given, mut middle) = (String::new(), String::new(), String::new());
    let append = |to: &mut String, value: &str, sep: &str| {
        if !to.is_empty() {
            to.push_str(sep);
        }
        to.push_str(value);
    };
    for (cell, field) in cells.iter().zip(mapping) {
        let value = unneutralised(cell.trim());
        if value.is_empty() {
            continue;
        }
        match field {
            Field::Ignore => {}
            Field::FullName => d.full_name = from_family_first(value),
            Field::FamilyName => family = value.to_owned(),
            Field::GivenName => given = value.to_owned(),
            Field::MiddleName => middle = value.to_owned(),
            Field::FullNameLatin => d.full_name_latin = value.to_owned(),
            Field::Position => append(&mut d.position, value, ", "),
            Field::Organization => {
                if d.organization.is_empty() {
                    d.organization = value.to_owned();
                }
            }
            // Google puts several values in one cell: "a@x ::: b@y".
            Field::Email => d.emails.extend(split_multi(value).map(|v| Email {
                address: v,
                label: String::new(),
            })),
            Field::Phone => d.phones.extend(split_multi(value).map(|v| Phone {
                number: v,
                label: String::new(),
            })),
            Field::Notes => append(&mut d.notes, value, "\n"),
            // Google's groups: "* myContacts ::: vip" (every contact is in
            // myContacts, so it says nothing).
            Field::Tags => d.tags.extend(
                split_multi(value)
                    .flat_map(|v| {
                        v.split(crate::model::LIST_SEPARATORS)
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                    })
                    .map(|t| t.trim().trim_start_matches('*').trim().to_owned())
                    .filter(|t| !t.is_empty() && t != "myContacts"),
            ),
            Field::Telegram | Field::Whatsapp => {
                let kind = if *field == Field::Telegram {
                    MessengerKind::Telegram
                } else {
                    MessengerKind::Whatsapp
                };
                for handle in split_multi(value).filter(|v| !says_none(v)) {
                    // The row's region is not known yet: a WhatsApp number
                    // without its country code is read again in `prepare`.
                    let handle = messenger_handle(kind, &handle, None);
                    let m = Messenger { kind, handle };
                    if !d.messengers.contains(&m) {
                        d.messengers.push(m);
                    }
                }
            }
            Field::Languages => {
                for l in value.split(crate::model::LIST_SEPARATORS).map(str::trim) {
                    if !says_none(l)
                        && !d
                            .languages
                            .iter()
                            .any(|x| x.to_lowercase() == l.to_lowercase())
                    {
                        d.languages.push(l.to_owned());
                    }
                }
            }
        }
    }
    if d.full_name.is_empty() {
        d.full_name = join_name(&given, &middle, &family);
    }
    d
}

/// Whether a cell says there is nothing: empty, a dash, "нет", "жоқ",
/// "no", "n/a" (lists fill their blanks so).
fn says_none(value: &str) -> bool {
    let v = value.trim().to_lowercase();
    !v.chars().any(char::is_alphanumeric)
        || matches!(v.as_str(), "нет" | "жоқ" | "no" | "none" | "n/a" | "na")
}

/// A cell as written before a spreadsheet export neutralised it against
/// formulas (`'+7701...` is the phone `+7701...`).
fn unneutralised(value: &str) -> &str {
    value
        .strip_prefix('\'')
        .filter(|rest| crate::export::csv::starts_a_formula(rest))
        .unwrap_or(value)
}

fn split_multi(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(" ::: ")
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn headers_of_common_exports_map() {
        use Field::*;
        let cases = [
            ("ФИО", FullName),
            ("Фамилия", FamilyName),
            ("Имя", GivenName),
            ("Отчество", MiddleName),
            ("Телефон", Phone),
            ("Компания", Organization),
            ("Должность", Position),
            ("Email", Email),
            ("E-mail 1 - Value", Email),
            ("E-mail 1 - Type", Ignore),
            ("Phone 2 - Value", Phone),
            ("Organization 1 - Name", Organization),
            ("Organization 1 - Title", Position),
            ("First Name", GivenName),
            ("Last Name", FamilyName),
            ("E-mail Address", Email),
            ("Mobile Phone", Phone),
            ("Business Phone 2", Phone),
            ("Other Phone", Phone),
            ("Business Fax", Ignore),
            ("Job Title", Position),
            ("Title", Ignore),
            ("Адрес эл. почты", Email),
            ("Мобильный телефон", Phone),
            ("\u{feff}\"Name\"", FullName),
            ("Phone number", Phone),
            ("Тел", Phone),
            ("Company name", Organization),
            ("Аты-жөні", FullName),
            ("Лауазымы", Position),
            ("Ұйым", Organization),
            ("Ұялы телефон", Phone),
            ("Электрондық пошта", Email),
        ];
        for (header, field) in cases {
            assert_eq!(field_for_header(header), field, "{header}");
        }
    }

    #[test]
    fn names_are_put_in_display_order() {
        assert_eq!(
            from_family_first("Иванов Иван Иванович"),
            "Иван Иванович Иванов"
        );
        assert_eq!(
            from_family_first("Сахметов Кайырболат Ерланұлы"),
            "Кайырболат Ерланұлы Сахметов"
        );
        assert_eq!(from_family_first("Ерлан Жұмабаев"), "Ерлан Жұмабаев");
        assert_eq!(
            from_family_first("Ahmet Emre Kocaoglu"),
            "Ahmet Emre Kocaoglu"
        );
        assert_eq!(
            split_name("Ahmet Emre Kocaoglu"),
            ("Kocaoglu".into(), "Ahmet Emre".into(), String::new())
        );
        // A family name that ends as a patronymic does, in either order.
        for (written, shown) in [
            ("Сергей Петрович Лукашевич", "Сергей Петрович Лукашевич"),
            ("Лукашевич Сергей Петрович", "Сергей Петрович Лукашевич"),
            ("Абрамович Роман Аркадьевич", "Роман Аркадьевич Абрамович"),
            (
                "Aleksandr Petrovich Karpovich",
                "Aleksandr Petrovich Karpovich",
            ),
        ] {
            assert_eq!(from_family_first(written), shown, "{written}");
            assert_eq!(from_family_first(shown), shown, "{shown} again");
        }
        assert_eq!(
            split_name("Сергей Петрович Лукашевич"),
            ("Лукашевич".into(), "Сергей".into(), "Петрович".into())
        );
        assert_eq!(
            split_name("Иванов Иван Иванович"),
            ("Иванов".into(), "Иван".into(), "Иванович".into())
        );
        assert_eq!(
            split_name("Иван Иванович Иванов"),
            ("Иванов".into(), "Иван".into(), "Иванович".into())
        );
        assert_eq!(
            split_name("Tom Smith"),
            ("Smith".into(), "Tom".into(), String::new())
        );
    }

    #[test]
    fn what_the_export_neutralised_comes_back_as_it_was() {
        for original in ["+77011234567", "=SUM(A1)", " =x", "＝1+1", "\tnote", "-5"] {
            let exported = crate::export::csv::cell(original);
            let cell = exported.trim_matches('"');
            assert_eq!(unneutralised(cell), original, "{exported}");
        }
        assert_eq!(
            unneutralised("'quoted"),
            "'quoted",
            "a quote of its own stays"
        );
    }

    #[test]
    fn a_row_becomes_a_draft() {
        let mapping = [
            Field::FamilyName,
            Field::GivenName,
            Field::MiddleName,
            Field::Email,
            Field::Phone,
            Field::Tags,
        ];
        let d = draft_from_row(
            &cells(&[
                "Иванов",
                "Иван",
                "Иванович",
                "a@x.kz ::: b@x.kz",
                "8 701 1234567",
                "* myContacts ::: vip, press",
            ]),
            &mapping,
        );
        assert_eq!(d.full_name, "Иван Иванович Иванов");
        assert_eq!(d.emails.len(), 2);
        assert_eq!(d.phones[0].number, "8 701 1234567");
        assert_eq!(d.tags, ["vip", "press"]);
    }

    #[test]
    fn files_without_headers_are_guessed() {
        let rows = vec![cells(&["Иванов Иван", "ivan@x.kz", "+7 701 123 45 67"])];
        assert!(!is_header(&rows[0]));
        assert_eq!(
            guess_from_content(&rows),
            vec![Field::FullName, Field::Email, Field::Phone]
        );
        assert!(is_header(&cells(&["ФИО", "Email"])));
    }
}
