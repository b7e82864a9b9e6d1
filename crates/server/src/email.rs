//! One canonical spelling of an e-mail address, used wherever an address is stored, looked up or counted
//! by a limit. Without it, PostgreSQL's case-insensitive collation found one account under several
//! spellings (a soft hyphen, a zero-width space, fullwidth letters) while each spelling had its own
//! sign-in budget.

use unicode_normalization::UnicodeNormalization;

/// Trimmed, NFKC-normalised, without default-ignorable code points (invisible characters such as soft
/// hyphens and zero-width spaces), and case-folded (then NFKC again, as folding can denormalise).
pub fn canonical(raw: &str) -> String {
    // Each step can undo another (removing a combining grapheme joiner lets NFKC compose across it;
    // folding can denormalise), so the steps repeat until nothing changes; twice is enough in practice.
    let mut text = raw.to_owned();
    for _ in 0..4 {
        let visible: String = text.chars().filter(|c| !is_default_ignorable(*c)).collect();
        let next: String = caseless::default_case_fold_str(&visible.nfkc().collect::<String>())
            .nfkc()
            .collect::<String>()
            .trim()
            .to_owned();
        if next == text {
            break;
        }
        text = next;
    }
    text
}

/// Unicode's `Default_Ignorable_Code_Point` property (DerivedCoreProperties.txt, Unicode 15/16):
/// characters that render as nothing.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_reported_spellings_are_one_address() {
        for spelling in [
            "demo@rapport.test",
            " Demo@Rapport.TEST ",
            "de\u{00AD}mo@rapport.test",
            "demo\u{200B}@rapport.test",
            "\u{FF44}emo@rapport.test",
            "\u{FF24}\u{FF25}\u{FF2D}\u{FF2F}\u{FF20}rapport.test",
            "demo@rapport.test\u{FEFF}",
            "d\u{2060}emo@rapport.t\u{E0041}est",
        ] {
            assert_eq!(canonical(spelling), "demo@rapport.test", "{spelling:?}");
        }
    }

    #[test]
    fn folding_goes_beyond_lower_case() {
        assert_eq!(canonical("STRASSE@x.test"), canonical("straße@x.test"));
        assert_eq!(canonical("ΣΟΦΙΑΣ@x.test"), canonical("σοφιας@x.test"));
        assert_ne!(canonical("anna@x.test"), canonical("anne@x.test"));
    }

    proptest! {
        #[test]
        fn canonical_is_idempotent_and_invisible_characters_never_matter(
            text in "\\PC{0,24}",
            at in 0usize..24,
        ) {
            let once = canonical(&text);
            prop_assert_eq!(canonical(&once), once.clone());
            let mut chars: Vec<char> = text.chars().collect();
            chars.insert(at.min(chars.len()), '\u{200B}');
            let with_invisible: String = chars.into_iter().collect();
            prop_assert_eq!(canonical(&with_invisible), once);
        }
    }
}
