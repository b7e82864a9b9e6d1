//! One idempotency key per submission: a retry of the same content (after a timeout or a broken
//! connection, when the server may already have filed it) reuses the key, so the server files it once;
//! changed content is a new submission with a new key.

/// The last content sent and its key.
#[derive(Debug)]
pub struct Attempt<T> {
    last: Option<(T, String)>,
}

// Not derived: that would ask `T: Default`.
impl<T> Default for Attempt<T> {
    fn default() -> Self {
        Self { last: None }
    }
}

impl<T: PartialEq + Clone> Attempt<T> {
    /// The key to send `content` with: the previous key when the content is unchanged, else `fresh()`.
    pub fn key_for(&mut self, content: &T, fresh: impl FnOnce() -> String) -> String {
        match &self.last {
            Some((sent, key)) if sent == content => key.clone(),
            _ => {
                let key = fresh();
                self.last = Some((content.clone(), key.clone()));
                key
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // proptest's random source does not build for wasm32.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Over any sequence of sends, two sends share a key exactly when nothing changed in between.
        #[test]
        fn a_key_is_reused_exactly_for_unchanged_content(contents in proptest::collection::vec(0u8..3, 1..30)) {
            let mut attempt = Attempt::default();
            let mut made = 0;
            let mut keys = Vec::new();
            for content in &contents {
                keys.push(attempt.key_for(content, || {
                    made += 1;
                    format!("key-{made}")
                }));
            }
            for i in 1..contents.len() {
                proptest::prop_assert_eq!(keys[i] == keys[i - 1], contents[i] == contents[i - 1]);
            }
            let changes = contents.windows(2).filter(|w| w[0] != w[1]).count();
            proptest::prop_assert_eq!(made, changes + 1);
        }
    }

    #[test]
    fn going_back_to_earlier_content_is_a_new_submission() {
        let mut attempt = Attempt::default();
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            format!("k{n}")
        };
        assert_eq!(attempt.key_for(&"a", &mut fresh), "k1");
        assert_eq!(attempt.key_for(&"a", &mut fresh), "k1");
        assert_eq!(attempt.key_for(&"b", &mut fresh), "k2");
        // "a" again after "b" was sent: "b" may have been filed, so "a" is filed anew.
        assert_eq!(attempt.key_for(&"a", &mut fresh), "k3");
    }
}
