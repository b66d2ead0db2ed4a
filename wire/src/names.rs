//! Folding names for search: case, accents and the usual transliteration variants.
//!
//! The same person's name reaches the desk written many ways ("Mohamed", "Muhammad",
//! "Mohammed"). Search compares two forms: the folded text (lower case, no accents) and a
//! consonant skeleton of each word that most transliterations of one name share.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, accents removed, anything but letters and digits turned into single spaces.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            folded.push(c);
            space = false;
        } else if !space {
            folded.push(' ');
            space = true;
        }
    }
    folded.truncate(folded.trim_end().len());
    folded
}

/// The consonant skeleton of one folded word: sounds written differently made alike, vowels
/// after the first letter dropped, doubled letters made single. "muhammad" → "mhmd".
pub fn skeleton(word: &str) -> String {
    let mut mapped = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let sound = match (c, next) {
            ('p', Some('h')) => Some('f'),
            ('t' | 'd' | 'g' | 'k', Some('h')) => Some(c),
            _ => None,
        };
        if let Some(sound) = sound {
            chars.next();
            mapped.push(sound);
            continue;
        }
        if c == 'x' {
            mapped.push_str("ks");
            continue;
        }
        mapped.push(match c {
            'q' | 'c' => 'k',
            'j' => 'y',
            'w' => 'v',
            other => other,
        });
    }
    // A final h is silent ("fatimah"); inside a word it is kept ("mohamed" → "mhmd").
    let mapped = mapped.strip_suffix('h').filter(|rest| !rest.is_empty()).unwrap_or(&mapped);
    let mut skeleton = String::with_capacity(mapped.len());
    for (index, c) in mapped.chars().enumerate() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if (index > 0 && vowel) || skeleton.ends_with(c) {
            continue;
        }
        skeleton.push(c);
    }
    skeleton
}

/// The skeletons of every word of `folded` text, space-separated.
pub fn skeletons(folded: &str) -> String {
    folded.split(' ').filter(|word| !word.is_empty()).map(skeleton).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_accents_and_punctuation() {
        assert_eq!(fold("  Ñúñez-GARCÍA, José "), "nunez garcia jose");
        assert_eq!(fold("Đorđević"), "đorđevic");
        assert_eq!(fold("O'Brien"), "o brien");
    }

    #[test]
    fn skeletons_keep_the_consonants_that_tell_names_apart() {
        assert_eq!(skeleton("muhammad"), "mhmd");
        assert_eq!(skeleton("mohan"), "mhn");
        assert_ne!(skeleton("hamed"), skeleton("mohamed"));
    }

    #[test]
    fn transliterations_of_one_name_share_a_skeleton() {
        let families: &[&[&str]] = &[
            &["mohamed", "muhammad", "mohammed", "mouhamed", "mohamad", "muhamad"],
            &["ahmed", "ahmad"],
            &["youssef", "yusuf", "yousef", "jusuf"],
            &["fatima", "fatema", "fatimah"],
            &["abdelkader", "abdulkadir", "abdel kader"],
            &["oksana", "oxana"],
        ];
        for family in families {
            let first = skeletons(&fold(family[0])).replace(' ', "");
            assert!(first.len() >= 3, "{first}: too short to tell names apart");
            for name in *family {
                assert_eq!(skeletons(&fold(name)).replace(' ', ""), first, "{name} vs {}", family[0]);
            }
        }
    }
}
