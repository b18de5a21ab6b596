//! Text as search compares it, computed in Rust because SQLite's own case
//! folding covers ASCII only and FTS5's `remove_diacritics` neither maps
//! ё to е nor keeps й apart from и.
//!
//! - [`fold`]: the same word in the same script, whatever the case and the
//!   accents: "ФЁДОРОВ" → "федоров", "Müller" → "muller"; й, ә, қ, ң, ө, ұ,
//!   ү, һ, і stay themselves (they are letters, not accented letters).
//! - [`cross_key`]: a Latin skeleton shared by the spellings of one name
//!   across Cyrillic (Russian and Kazakh), Turkmen and Kazakh Latin and
//!   English transliteration: "Сахметов", "Sakhmetov" and "Sahmetov" all give
//!   "sahmetov"; "Бердымухамедов" and "Berdimuhamedow" give
//!   "berdimuhamedov". It is deliberately lossy and only ever a third tier
//!   of matches, after exact and prefix ones.

/// Lower case in every script, Latin accents and ё folded, й kept.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().flat_map(char::to_lowercase).peekable();
    while let Some(c) = chars.next() {
        // A decomposed й (и + combining breve) stays й; other combining
        // marks are accents and go.
        if c == 'и' && chars.peek() == Some(&'\u{306}') {
            chars.next();
            out.push('й');
            continue;
        }
        if is_combining(c) {
            continue;
        }
        match fold_char(c) {
            Folded::One(f) => out.push(f),
            Folded::Two(a, b) => {
                out.push(a);
                out.push(b);
            }
        }
    }
    out
}

enum Folded {
    One(char),
    Two(char, char),
}

/// A combining accent (U+0300–U+036F), as in decomposed text.
pub(crate) fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn fold_char(c: char) -> Folded {
    use Folded::{One, Two};
    match c {
        'ё' => One('е'),
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => One('a'),
        'ç' | 'ć' | 'č' => One('c'),
        'ď' | 'đ' => One('d'),
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => One('e'),
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => One('i'),
        'ñ' | 'ń' | 'ň' => One('n'),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => One('o'),
        'ŕ' | 'ř' => One('r'),
        'ś' | 'ş' | 'š' | 'ș' => One('s'),
        'ţ' | 'ť' | 'ț' => One('t'),
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => One('u'),
        'ý' | 'ÿ' => One('y'),
        'ź' | 'ż' | 'ž' => One('z'),
        'ğ' => One('g'),
        'ł' => One('l'),
        'ß' => Two('s', 's'),
        'æ' => Two('a', 'e'),
        'œ' => Two('o', 'e'),
        other => One(other),
    }
}

/// The cross-script key of one word (see the module's comment). Digits are
/// kept; anything that is not a letter or digit is dropped.
pub fn cross_key(word: &str) -> String {
    let mut latin = String::with_capacity(word.len() + 4);
    let mut last = None;
    for c in word.chars().flat_map(char::to_lowercase) {
        if is_combining(c) {
            // A decomposed ş or ç (cedilla), š, č or ž (caron) sounds as the
            // precomposed letter does; other accents change nothing here.
            if matches!(c, '\u{327}' | '\u{30c}') && matches!(last, Some('s' | 'c' | 'z')) {
                latin.push('h');
            }
            continue;
        }
        latin.push_str(to_latin(c));
        last = Some(c);
    }
    // Spellings of one sound, and Cyrillic digraphs written one way in
    // Turkmen Latin ("дж" is "j", "х" is "kh" or "h").
    for (from, to) in [
        ("shch", "sh"),
        ("dzh", "j"),
        ("dj", "j"),
        // Kazakh Latin (2021) writes ж "j", as English often does
        // ("Janibekov"); passports write "zh". One key for the three.
        ("zh", "j"),
        ("tch", "ch"),
        ("kh", "h"),
        ("gh", "g"),
        ("ph", "f"),
        ("ck", "k"),
    ] {
        if latin.contains(from) {
            latin = latin.replace(from, to);
        }
    }
    // Doubled letters ("Kassymov", "Анна", "ия") count once; then a glide
    // before a vowel ("ya", "ye", "yu", and я, е, ю after a vowel or a soft
    // sign) is written or not depending on the convention, so it goes.
    let chars: Vec<char> = undouble(latin.chars()).collect();
    let mut key = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c == 'i' && next.is_some_and(|n| matches!(n, 'a' | 'e' | 'o' | 'u')) {
            continue;
        }
        // A Latin "c" is "k" unless it starts "ch".
        key.push(if c == 'c' && next != Some('h') {
            'k'
        } else {
            c
        });
    }
    undouble(key.chars()).collect()
}

fn undouble(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    let mut last = None;
    chars.filter(move |&c| {
        let repeat = last == Some(c);
        last = Some(c);
        !repeat
    })
}

/// Every cross-script key of one word: its [`cross_key`], and for a word
/// with ё also the key of ё written "yo", as English does (Fyodorov,
/// Pyotr), beside "e", as passports do (Fedorov, Petr). A name's index row
/// holds both; a query looks for either.
pub fn cross_keys(word: &str) -> Vec<String> {
    let mut keys = vec![cross_key(word)];
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    let lower = lower.replace("е\u{308}", "ё");
    if lower.contains('ё') {
        let yo = cross_key(&lower.replace('ё', "йо"));
        if !keys.contains(&yo) {
            keys.push(yo);
        }
    }
    keys
}

/// The keys of a word being typed: a final letter that may start a digraph
/// ("sak" of "sakh...", "z" of "zh") is left out, so the prefix still
/// matches the key of the whole word.
pub fn cross_key_prefixes(word: &str) -> Vec<String> {
    let mut keys = cross_keys(word);
    for key in &mut keys {
        if key.len() > 1 && key.ends_with(['k', 'z', 's', 'c', 'd', 'g', 't', 'p', 'i']) {
            key.pop();
        }
    }
    keys.dedup();
    keys
}

fn to_latin(c: char) -> &'static str {
    match c {
        // Russian
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'ы' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' | 'щ' => "sh",
        'ъ' | 'ь' => "",
        'ю' => "iu",
        'я' => "ia",
        // Kazakh
        'ә' => "a",
        'ғ' => "g",
        'қ' => "k",
        'ң' => "n",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' => "h",
        'і' => "i",
        // Ukrainian letters seen in names
        'є' => "ie",
        'ї' => "i",
        'ґ' => "g",
        // Turkmen Latin and other accented Latin
        'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => "a",
        'ç' | 'č' => "ch",
        'ň' | 'ñ' | 'ń' => "n",
        'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'ş' | 'ș' | 'š' => "sh",
        'ü' | 'ù' | 'ú' | 'û' | 'ū' => "u",
        'ý' | 'y' | 'ÿ' | 'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
        'ž' => "zh",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ğ' | 'ǵ' => "g",
        // Latin letters spelled differently across conventions
        'w' => "v",
        'q' => "k",
        'x' => "ks",
        'c' => "c",
        'a' => "a",
        'b' => "b",
        'd' => "d",
        'e' => "e",
        'f' => "f",
        'g' => "g",
        'h' => "h",
        'i' => "i",
        'j' => "j",
        'k' => "k",
        'l' => "l",
        'm' => "m",
        'n' => "n",
        'o' => "o",
        'p' => "p",
        'r' => "r",
        's' => "s",
        't' => "t",
        'u' => "u",
        'v' => "v",
        'z' => "z",
        '0' => "0",
        '1' => "1",
        '2' => "2",
        '3' => "3",
        '4' => "4",
        '5' => "5",
        '6' => "6",
        '7' => "7",
        '8' => "8",
        '9' => "9",
        _ => "",
    }
}
